using HotDash.Api.Management;
using HotDash.Grains;

namespace HotDash.Api.Tests.Management;

public sealed class RequestFieldsTests
{
    [Theory]
    [InlineData("""{"rpm_limit": -1}""", "rpm_limit")]
    [InlineData("""{"rpm_limit": "10"}""", "rpm_limit")]
    [InlineData("""{"rpm_limit": 1.5}""", "rpm_limit")]
    [InlineData("""{"rpm_limit": true}""", "rpm_limit")]
    [InlineData("""{"rpm_limit": -0.5}""", "rpm_limit")]
    public void Count_NegativeOrNotAWholeNumber_FailsNamingTheField(string json, string field)
    {
        var f = Json.Fields(json);

        Assert.Null(f.Count(field));

        Assert.Equal(field, f.Error?.Param);
        Assert.Contains(field, f.Error!.Message);
        Assert.Equal(400, f.Error.Status);
    }

    [Theory]
    [InlineData("""{"rpm_limit": 10}""", 10L)]
    [InlineData("""{"rpm_limit": 10.0}""", 10L)]
    [InlineData("""{"rpm_limit": 0}""", 0L)]
    public void Count_WholeNumber_IsRead(string json, long expected)
    {
        var f = Json.Fields(json);

        Assert.Equal(expected, f.Count("rpm_limit"));
        Assert.Null(f.Error);
    }

    [Fact]
    public void Count_NullOrMissing_IsNoValueAndNoError()
    {
        var f = Json.Fields("""{"rpm_limit": null}""");

        Assert.Null(f.Count("rpm_limit"));
        Assert.Null(f.Count("tpm_limit"));
        Assert.Null(f.Error);
    }

    [Theory]
    [InlineData("""{"max_budget": -0.01}""")]
    [InlineData("""{"max_budget": "ten"}""")]
    [InlineData("""{"max_budget": [1]}""")]
    public void Money_NegativeOrNotANumber_FailsNamingTheField(string json)
    {
        var f = Json.Fields(json);

        Assert.Null(f.Money("max_budget"));
        Assert.Equal("max_budget", f.Error?.Param);
    }

    [Fact]
    public void Money_EmptyString_IsNone()
    {
        var f = Json.Fields("""{"max_budget": ""}""");

        Assert.Null(f.Money("max_budget"));
        Assert.Null(f.Error);
    }

    [Fact]
    public void Money_Decimal_KeepsItsDigits()
    {
        Assert.Equal(0.000000001m, Json.Fields("""{"max_budget": 0.000000001}""").Money("max_budget"));
    }

    [Fact]
    public void SmallCount_AboveIntRange_Fails()
    {
        var f = Json.Fields("""{"max_parallel_requests": 3000000000}""");

        Assert.Null(f.SmallCount("max_parallel_requests"));
        Assert.Equal("max_parallel_requests", f.Error?.Param);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("30m", 1800)]
    [InlineData("30h", 108000)]
    [InlineData("30d", 2592000)]
    public void Duration_LiteLlmForm_IsParsed(string text, int seconds)
    {
        var d = Json.Fields($$"""{"budget_duration": "{{text}}"}""").Duration("budget_duration");

        Assert.Equal((text, TimeSpan.FromSeconds(seconds)), d);
    }

    [Theory]
    [InlineData("\"30x\"")]
    [InlineData("\"-1d\"")]
    [InlineData("\"d\"")]
    [InlineData("30")]
    public void Duration_Malformed_FailsNamingTheField(string value)
    {
        var f = Json.Fields($$"""{"duration": {{value}}}""");

        Assert.Null(f.Duration("duration"));
        Assert.Equal("duration", f.Error?.Param);
        Assert.Contains("duration", f.Error!.Message);
    }

    [Fact]
    public void StringList_NonStringItem_FailsNamingTheField()
    {
        var f = Json.Fields("""{"models": ["gpt-4o", 4]}""");

        Assert.Null(f.StringList("models"));
        Assert.Equal("models", f.Error?.Param);
        Assert.Contains("models[1]", f.Error!.Message);
    }

    [Fact]
    public void StringList_NotAList_Fails()
    {
        var f = Json.Fields("""{"models": "gpt-4o"}""");

        Assert.Null(f.StringList("models"));
        Assert.Equal("models", f.Error?.Param);
    }

    [Fact]
    public void CountMap_NegativeModelLimit_FailsNamingTheField()
    {
        var f = Json.Fields("""{"model_rpm_limit": {"gpt-4o": 5, "gpt-4o-mini": -1}}""");

        Assert.Null(f.CountMap("model_rpm_limit"));
        Assert.Equal("model_rpm_limit", f.Error?.Param);
        Assert.Contains("gpt-4o-mini", f.Error!.Message);
    }

    [Fact]
    public void ModelBudgets_BudgetConfig_IsReadWithItsPeriod()
    {
        var budgets = Json.Fields("""{"model_max_budget": {"gpt-4o": {"budget_limit": 0.5, "time_period": "1d"}, "mini": 2}}""").ModelBudgets("model_max_budget");

        Assert.Equal(new ModelBudget(0.5m, TimeSpan.FromDays(1)), budgets!["gpt-4o"]);
        Assert.Equal(new ModelBudget(2m, null), budgets["mini"]);
    }

    [Theory]
    [InlineData("""{"model_max_budget": {"gpt-4o": {"budget_limit": 1, "time_period": "30x"}}}""")]
    [InlineData("""{"model_max_budget": {"gpt-4o": {"budget_limit": -1}}}""")]
    [InlineData("""{"model_max_budget": {"gpt-4o": {"time_period": "1d"}}}""")]
    [InlineData("""{"model_max_budget": {"gpt-4o": "ten"}}""")]
    [InlineData("""{"model_max_budget": [1]}""")]
    public void ModelBudgets_Bad_FailsNamingTheField(string json)
    {
        var f = Json.Fields(json);

        Assert.Null(f.ModelBudgets("model_max_budget"));
        Assert.Equal("model_max_budget", f.Error?.Param);
    }

    [Fact]
    public void ObjectText_NotAnObject_FailsNamingTheField()
    {
        var f = Json.Fields("""{"metadata": "x"}""");

        Assert.Null(f.ObjectText("metadata"));
        Assert.Equal("metadata", f.Error?.Param);
    }

    [Fact]
    public void Error_SeveralBadFields_KeepsTheFirst()
    {
        var f = Json.Fields("""{"rpm_limit": -1, "tpm_limit": -2}""");

        f.Count("rpm_limit");
        f.Count("tpm_limit");

        Assert.Equal("rpm_limit", f.Error?.Param);
    }

    [Fact]
    public void Fallback_FieldMissingOrNull_TakesTheFallbackValue()
    {
        var f = Json.Fields("""{"rpm_limit": null}""", """{"rpm_limit": 7, "tpm_limit": 9}""");

        Assert.Equal(7, f.Count("rpm_limit"));
        Assert.Equal(9, f.Count("tpm_limit"));
        Assert.True(f.Given("tpm_limit"));
    }

    [Fact]
    public void Fallback_FieldInBody_WinsOverTheFallback()
    {
        Assert.Equal(3, Json.Fields("""{"rpm_limit": 3}""", """{"rpm_limit": 7}""").Count("rpm_limit"));
    }

    [Fact]
    public void Given_NullInBody_CountsAsGivenSoAnUpdateClearsIt()
    {
        var f = Json.Fields("""{"rpm_limit": null}""");

        Assert.True(f.Given("rpm_limit"));
        Assert.False(f.Given("tpm_limit"));
    }
}
