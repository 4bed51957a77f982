using System.Collections.Immutable;
using HotDash.Api.Management;
using HotDash.Grains;

namespace HotDash.Api.Tests.Management;

public sealed class KeyFieldsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static KeyDefinition New() => KeyFields.New("sk-test-key-abcd", Now);

    [Fact]
    public void New_Key_StoresOnlyTheHashAndTheShortName()
    {
        var key = New();

        Assert.Equal(VirtualKeys.Hash("sk-test-key-abcd"), key.Token);
        Assert.Equal("sk-...abcd", key.KeyName);
        Assert.Equal("default_user_id", key.CreatedBy);
        Assert.Equal(Now, key.CreatedAt);
    }

    [Fact]
    public void Apply_GenerateRequest_SetsEveryLiteLlmField()
    {
        var f = Json.Fields("""
            {"key_alias": "ci", "team_id": "t1", "user_id": "u1", "models": ["gpt-4o"], "aliases": {"gpt-4": "gpt-4o"},
             "metadata": {"app": "x"}, "blocked": true, "duration": "30d", "max_budget": 10.5, "budget_duration": "1d",
             "rpm_limit": 60, "tpm_limit": 1000, "max_parallel_requests": 4,
             "model_rpm_limit": {"gpt-4o": 5}, "model_tpm_limit": {"gpt-4o": 500},
             "model_max_budget": {"gpt-4o": {"budget_limit": 1, "time_period": "7d"}}, "unknown_field": 1}
            """);

        var key = KeyFields.Apply(f, New(), Now, out var duration);

        Assert.Null(f.Error);
        Assert.Equal(("ci", "t1", "u1"), (key.KeyAlias, key.TeamId, key.UserId));
        Assert.Equal(["gpt-4o"], key.Models.ToArray());
        Assert.Equal("gpt-4o", key.Aliases["gpt-4"]);
        Assert.Equal("app", JsonDocument.Parse(key.Metadata).RootElement.EnumerateObject().Single().Name);
        Assert.True(key.Blocked);
        Assert.Equal(TimeSpan.FromDays(30), duration);
        Assert.Equal(Now.AddDays(30), key.Expires);
        Assert.Equal(10.5m, key.Limits.MaxBudget);
        Assert.Equal("1d", key.BudgetDuration);
        Assert.Equal(TimeSpan.FromDays(1), key.Limits.BudgetDuration);
        Assert.Equal((60L, 1000L, 4), (key.Limits.RpmLimit!.Value, key.Limits.TpmLimit!.Value, key.Limits.MaxParallelRequests!.Value));
        Assert.Equal(5, key.Limits.ModelRpmLimit["gpt-4o"]);
        Assert.Equal(500, key.Limits.ModelTpmLimit["gpt-4o"]);
        Assert.Equal(new ModelBudget(1, TimeSpan.FromDays(7)), key.Limits.ModelMaxBudget["gpt-4o"]);
    }

    [Fact]
    public void Apply_EmptyRequest_LeavesTheKeyUnlimitedAndNeverExpiring()
    {
        var key = KeyFields.Apply(Json.Fields("{}"), New(), Now, out var duration);

        Assert.Equal(QuotaLimits.None, key.Limits);
        Assert.Null(key.Expires);
        Assert.Null(duration);
    }

    [Fact]
    public void Apply_UpdateWithNull_ClearsTheFieldAndKeepsTheOthers()
    {
        var existing = New() with
        {
            KeyAlias = "old",
            Limits = QuotaLimits.None with { RpmLimit = 5, TpmLimit = 50 },
            Expires = Now.AddDays(1),
        };

        var key = KeyFields.Apply(Json.Fields("""{"rpm_limit": null, "duration": null}"""), existing, Now, out _);

        Assert.Null(key.Limits.RpmLimit);
        Assert.Equal(50, key.Limits.TpmLimit);
        Assert.Equal("old", key.KeyAlias);
        Assert.Null(key.Expires);
    }

    [Fact]
    public void Apply_DurationMinusOne_NeverExpires()
    {
        var key = KeyFields.Apply(Json.Fields("""{"duration": "-1"}"""), New() with { Expires = Now }, Now, out var duration);

        Assert.Null(key.Expires);
        Assert.Equal(TimeSpan.MaxValue, duration);
    }

    [Theory]
    [InlineData("""{"duration": "30x"}""", "duration")]
    [InlineData("""{"budget_duration": "30x"}""", "budget_duration")]
    [InlineData("""{"models": "gpt-4o"}""", "models")]
    [InlineData("""{"aliases": {"a": 1}}""", "aliases")]
    [InlineData("""{"metadata": []}""", "metadata")]
    [InlineData("""{"blocked": "yes"}""", "blocked")]
    [InlineData("""{"team_id": 5}""", "team_id")]
    [InlineData("""{"tpm_limit": -5}""", "tpm_limit")]
    public void Apply_BadField_FailsNamingIt(string json, string field)
    {
        var f = Json.Fields(json);

        KeyFields.Apply(f, New(), Now, out _);

        Assert.Equal(field, f.Error?.Param);
    }

    private static UpperBounds Bounds(string json) => UpperBounds.Read(Json.Element(json), out _);

    [Theory]
    [InlineData("""{"max_budget": 101}""", "max_budget")]
    [InlineData("""{"rpm_limit": 1001}""", "rpm_limit")]
    [InlineData("""{"tpm_limit": 100001}""", "tpm_limit")]
    [InlineData("""{"max_parallel_requests": 11}""", "max_parallel_requests")]
    [InlineData("""{"duration": "31d"}""", "duration")]
    [InlineData("""{"duration": "-1"}""", "duration")]
    [InlineData("""{"budget_duration": "2mo"}""", "budget_duration")]
    public void Check_AboveTheUpperBound_FailsNamingTheField(string json, string field)
    {
        var bounds = Bounds("""{"max_budget": 100, "rpm_limit": 1000, "tpm_limit": 100000, "max_parallel_requests": 10, "duration": "30d", "budget_duration": "30d"}""");
        var f = Json.Fields(json, bounds.Fallback!.Value.GetRawText());
        var key = KeyFields.Apply(f, New(), Now, out var duration);

        bounds.Check(f, key, duration);

        Assert.Equal(field, f.Error?.Param);
        Assert.Contains("is over max limit set in config", f.Error!.Message);
    }

    [Fact]
    public void Check_FieldsLeftOut_TakeTheUpperBound()
    {
        var bounds = Bounds("""{"max_budget": 100, "rpm_limit": 1000, "duration": "30d"}""");
        var f = Json.Fields("""{"rpm_limit": 10}""", bounds.Fallback!.Value.GetRawText());
        var key = KeyFields.Apply(f, New(), Now, out var duration);

        bounds.Check(f, key, duration);

        Assert.Null(f.Error);
        Assert.Equal(100m, key.Limits.MaxBudget);
        Assert.Equal(10, key.Limits.RpmLimit);
        Assert.Equal(Now.AddDays(30), key.Expires);
    }

    [Fact]
    public void Check_UpdateOfAnotherField_DoesNotTripOverAnOldValueAboveTheBound()
    {
        var bounds = Bounds("""{"rpm_limit": 10}""");
        var existing = New() with { Limits = QuotaLimits.None with { RpmLimit = 50 } };
        var f = Json.Fields("""{"key_alias": "renamed"}""");
        var key = KeyFields.Apply(f, existing, Now, out var duration);

        bounds.Check(f, key, duration);

        Assert.Null(f.Error);
    }

    [Fact]
    public void Read_BadBound_ReportsTheField()
    {
        UpperBounds.Read(Json.Element("""{"rpm_limit": "many"}"""), out var error);

        Assert.Equal("rpm_limit", error?.Param);
    }

    [Fact]
    public void New_ModelMaps_StartEmpty()
    {
        Assert.Equal(ImmutableDictionary<string, long>.Empty, New().Limits.ModelRpmLimit);
    }
}
