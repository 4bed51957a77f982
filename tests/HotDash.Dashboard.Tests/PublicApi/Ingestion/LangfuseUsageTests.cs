using HotDash.Grains;
using static HotDash.Dashboard.Tests.PublicApi.Ingestion.IngestionTestData;

namespace HotDash.Dashboard.Tests.PublicApi.Ingestion;

public sealed class LangfuseUsageTests
{
    private static ObservationRecord Generation(string fields) =>
        Assert.Single(One("generation-create", $$"""{"id":"g","traceId":"t",{{fields}}}""").Events).Observation!;

    private static Dictionary<string, long> Usage(string fields) => new(Generation(fields).UsageDetails!);

    [Fact]
    public void Usage_LegacyOpenAiForm_MapsToInputOutputTotal()
    {
        Assert.Equal(new Dictionary<string, long> { ["input"] = 10, ["output"] = 5, ["total"] = 15 },
            Usage(""" "usage":{"promptTokens":10,"completionTokens":5,"totalTokens":15} """));
    }

    [Fact]
    public void Usage_LegacyOpenAiFormWithoutTotal_TotalIsSum()
    {
        Assert.Equal(15, Usage(""" "usage":{"promptTokens":10,"completionTokens":5} """)[UsageKeys.Total]);
    }

    [Fact]
    public void Usage_LegacyOpenAiForm_DropsCostsLikeLangfuse()
    {
        var o = Generation(""" "usage":{"promptTokens":1,"completionTokens":1,"inputCost":0.5} """);

        Assert.Null(o.CostDetails);
        Assert.Null(o.TotalCost);
    }

    [Fact]
    public void Usage_NewForm_WithCosts()
    {
        var o = Generation(""" "usage":{"input":100,"output":20,"unit":"TOKENS","inputCost":0.001,"outputCost":0.002} """);

        Assert.Equal(new Dictionary<string, long> { ["input"] = 100, ["output"] = 20, ["total"] = 120 }, new Dictionary<string, long>(o.UsageDetails!));
        Assert.Equal(0.001m, o.CostDetails![UsageKeys.Input]);
        Assert.Equal(0.002m, o.CostDetails[UsageKeys.Output]);
        Assert.Equal(0.003m, o.CostDetails[UsageKeys.Total]);
        Assert.Equal(0.003m, o.TotalCost);
    }

    [Fact]
    public void Usage_ProvidedTotalAndTotalCost_Kept()
    {
        var o = Generation(""" "usage":{"input":1,"output":2,"total":99,"totalCost":1.25} """);

        Assert.Equal(99, o.UsageDetails![UsageKeys.Total]);
        Assert.Equal(1.25m, o.TotalCost);
    }

    [Fact]
    public void Usage_OnlyInput_TotalIsInput()
    {
        Assert.Equal(new Dictionary<string, long> { ["input"] = 7, ["total"] = 7 }, Usage(""" "usage":{"input":7} """));
    }

    [Fact]
    public void Usage_EmptyObject_NoUsage()
    {
        Assert.Null(Generation(""" "usage":{} """).UsageDetails);
    }

    [Theory]
    [InlineData(""" "usage":{"input":-1} """, "body.usage.input: Too small")]
    [InlineData(""" "usage":{"output":1.5} """, "body.usage.output: Invalid input: expected int")]
    [InlineData(""" "usage":{"promptTokens":"3"} """, "body.usage.promptTokens: Invalid input: expected number, received string")]
    [InlineData(""" "usage":{"unit":"WORDS"} """, "body.usage.unit: Invalid option")]
    [InlineData(""" "usage":{"inputCost":-0.1} """, "body.usage.inputCost: Too small")]
    [InlineData(""" "usage":"many" """, "body.usage: Invalid input: expected object, received string")]
    [InlineData(""" "usageDetails":[1] """, "body.usageDetails: Invalid input: expected record, received array")]
    [InlineData(""" "costDetails":5 """, "body.costDetails: Invalid input: expected record, received number")]
    public void Usage_Invalid_Error(string fields, string expectedStart)
    {
        var error = SingleError(One("generation-create", $$"""{"id":"g","traceId":"t",{{fields}}}"""));

        Assert.StartsWith(expectedStart, error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageDetails_Raw_TotalIsSumOfAllWhenMissing()
    {
        Assert.Equal(new Dictionary<string, long> { ["input"] = 10, ["output"] = 4, ["input_cached_tokens"] = 2, ["total"] = 16 },
            Usage(""" "usageDetails":{"input":10,"output":4,"input_cached_tokens":2} """));
    }

    [Fact]
    public void UsageDetails_Raw_KeepsProvidedTotal()
    {
        Assert.Equal(14, Usage(""" "usageDetails":{"input":10,"output":4,"total":14} """)[UsageKeys.Total]);
    }

    [Fact]
    public void UsageDetails_Raw_DropsWhatLangfuseDrops()
    {
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 12, ["total"] = 15 },
            Usage(""" "usageDetails":{"a":3,"b":"12","neg":-1,"frac":1.5,"text":"x","obj":{},"nul":null} """));
    }

    [Fact]
    public void UsageDetails_OpenAiCompletionUsage_SplitsDetails()
    {
        var usage = Usage(""" "usageDetails":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":30,"audio_tokens":null},"completion_tokens_details":{"reasoning_tokens":20}} """);

        Assert.Equal(new Dictionary<string, long>
        {
            ["input"] = 70, ["output"] = 30, ["total"] = 150, ["input_cached_tokens"] = 30, ["output_reasoning_tokens"] = 20,
        }, usage);
    }

    [Fact]
    public void UsageDetails_OpenAiResponsesUsage_SplitsDetails()
    {
        var usage = Usage(""" "usageDetails":{"input_tokens":9,"output_tokens":3,"total_tokens":12,"input_tokens_details":{"cached_tokens":4}} """);

        Assert.Equal(new Dictionary<string, long> { ["input"] = 5, ["output"] = 3, ["total"] = 12, ["input_cached_tokens"] = 4 }, usage);
    }

    [Fact]
    public void UsageDetails_OpenAiShapeWithExtraKey_ReadAsRaw()
    {
        var usage = Usage(""" "usageDetails":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"extra":4} """);

        Assert.Equal(new Dictionary<string, long> { ["prompt_tokens"] = 1, ["completion_tokens"] = 2, ["total_tokens"] = 3, ["extra"] = 4, ["total"] = 10 }, usage);
    }

    [Fact]
    public void UsageAndUsageDetails_DetailsWinKeyByKey()
    {
        var usage = Usage(""" "usage":{"input":1,"output":1},"usageDetails":{"input":5} """);

        // With usageDetails present the legacy total is not computed; total becomes the sum of the merged keys.
        Assert.Equal(new Dictionary<string, long> { ["input"] = 5, ["output"] = 1, ["total"] = 6 }, usage);
    }

    [Fact]
    public void CostDetails_NumbersKeptAndTotalComputedFromInputOutput()
    {
        var o = Generation(""" "costDetails":{"input":0.5,"output":0.25,"bad":"1","neg":-2} """);

        Assert.Equal(new Dictionary<string, decimal> { ["input"] = 0.5m, ["output"] = 0.25m, ["total"] = 0.75m }, new Dictionary<string, decimal>(o.CostDetails!));
        Assert.Equal(0.75m, o.TotalCost);
    }

    [Fact]
    public void CostDetails_OtherKeysWithoutTotal_TotalUnknown()
    {
        var o = Generation(""" "costDetails":{"input":0.5,"cache_read":0.1} """);

        Assert.False(o.CostDetails!.ContainsKey(UsageKeys.Total));
        Assert.Null(o.TotalCost);
    }

    [Fact]
    public void CostDetails_ExponentNumbers_Parsed()
    {
        Assert.Equal(1.5e-7m, Generation(""" "costDetails":{"total":1.5e-7} """).TotalCost);
    }
}
