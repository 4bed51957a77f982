using System.Collections.Immutable;
using HotDash.Api.Management;
using HotDash.Grains;

namespace HotDash.Api.Tests.Management;

public sealed class ManagementJsonTests
{
    private static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 30, 45, 123, TimeSpan.Zero);

    private static KeyDefinition Key() => KeyFields.New("sk-json-test-wxyz", Created) with
    {
        KeyAlias = "ci",
        TeamId = "t1",
        Models = ["gpt-4o"],
        Limits = QuotaLimits.None with
        {
            RpmLimit = 60,
            MaxBudget = 10m,
            ModelRpmLimit = ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 5),
            ModelMaxBudget = ImmutableDictionary<string, ModelBudget>.Empty.Add("gpt-4o", new ModelBudget(1m, TimeSpan.FromDays(30))),
        },
        BudgetDuration = "1d",
        Metadata = """{"app":"x"}""",
        Expires = Created.AddDays(30),
    };

    [Fact]
    public void FormatTime_Utc_IsPythonIsoformat()
    {
        Assert.Equal("2025-03-01T12:30:45.123000+00:00", ManagementJson.FormatTime(Created));
    }

    [Fact]
    public void GeneratedKey_HasLiteLlmsGenerateKeyResponseFields()
    {
        var key = Key();

        var json = Json.Written(w => ManagementJson.GeneratedKey(w, key, "sk-json-test-wxyz", "30d"));

        foreach (var field in (string[])["key", "token", "key_name", "key_alias", "expires", "models", "aliases", "max_budget", "budget_duration",
                     "tpm_limit", "rpm_limit", "max_parallel_requests", "model_rpm_limit", "model_tpm_limit", "model_max_budget", "metadata",
                     "team_id", "user_id", "spend", "blocked", "created_at", "updated_at", "created_by", "token_id", "duration"])
        {
            Assert.True(json.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal("sk-json-test-wxyz", json.GetProperty("key").GetString());
        Assert.Equal(key.Token, json.GetProperty("token").GetString());
        Assert.Equal("sk-...wxyz", json.GetProperty("key_name").GetString());
        Assert.Equal("2025-03-31T12:30:45.123000+00:00", json.GetProperty("expires").GetString());
        Assert.Equal(5, json.GetProperty("model_rpm_limit").GetProperty("gpt-4o").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("model_tpm_limit").ValueKind);
        var budget = json.GetProperty("model_max_budget").GetProperty("gpt-4o");
        Assert.Equal((1m, "30d"), (budget.GetProperty("budget_limit").GetDecimal(), budget.GetProperty("time_period").GetString()));
    }

    [Fact]
    public void Key_ModelLimits_AreAlsoInTheMetadataWhereLiteLlmKeepsThem()
    {
        var json = Json.Written(w => ManagementJson.Key(w, Key(), withToken: false));

        var metadata = json.GetProperty("metadata");
        Assert.Equal("x", metadata.GetProperty("app").GetString());
        Assert.Equal(5, metadata.GetProperty("model_rpm_limit").GetProperty("gpt-4o").GetInt32());
        Assert.False(json.TryGetProperty("token", out _));
    }

    [Fact]
    public void Team_HasLiteLlmsTeamTableFields()
    {
        var team = new TeamDefinition("t1")
        {
            TeamAlias = "ml",
            Members = [new TeamMember("ann", "ann@example.com", "admin"), new TeamMember("bob", null, "user")],
            Limits = QuotaLimits.None with { TpmLimit = 1000 },
        };

        var json = Json.Written(w => ManagementJson.Team(w, team));

        Assert.Equal("t1", json.GetProperty("team_id").GetString());
        Assert.Equal(["ann"], json.GetProperty("admins").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["bob"], json.GetProperty("members").EnumerateArray().Select(e => e.GetString()));
        var first = json.GetProperty("members_with_roles")[0];
        Assert.Equal(["role", "user_id", "user_email"], Json.Names(first));
        Assert.Equal(1000, json.GetProperty("tpm_limit").GetInt32());
        Assert.False(json.GetProperty("blocked").GetBoolean());
    }

    [Fact]
    public void SpendRow_HasLiteLlmsSpendLogsFields()
    {
        var row = new SpendRow("req-1", "abc", "gpt-4o-2024", 0.25m, Created, Created.AddSeconds(2))
        {
            TeamId = "t1", UserId = "u1", EndUser = "customer-7", ModelGroup = "gpt-4o", DeploymentId = "dep-1", CallType = "acompletion",
            PromptTokens = 10, CompletionTokens = 5, CacheHit = true, Metadata = """{"k":"v"}""",
        };

        var json = Json.Written(w => SpendJson.Row(w, row));

        Assert.Equal(15, json.GetProperty("total_tokens").GetInt32());
        Assert.Equal("2025-03-01T12:30:45.123000+00:00", json.GetProperty("startTime").GetString());
        Assert.Equal(("u1", "t1", "customer-7"), (json.GetProperty("user").GetString(), json.GetProperty("team_id").GetString(), json.GetProperty("end_user").GetString()));
        Assert.Equal(("gpt-4o-2024", "gpt-4o", "dep-1"), (json.GetProperty("model").GetString(), json.GetProperty("model_group").GetString(), json.GetProperty("model_id").GetString()));
        Assert.Equal("True", json.GetProperty("cache_hit").GetString());
        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal("v", json.GetProperty("metadata").GetProperty("k").GetString());
    }

    [Fact]
    public void ByDay_Teams_GroupsByDayThenTeamWithModelsInMetadata()
    {
        var day = new DateOnly(2025, 3, 1);
        ImmutableArray<SpendReportRow> rows =
        [
            new(day, "t1", "gpt-4o", 1.5m, 10, 5, 2),
            new(day, "t1", "mini", 0.5m, 4, 4, 1),
            new(day.AddDays(1), null, "gpt-4o", 2m, 1, 1, 1),
        ];

        var json = Json.Written(w => SpendJson.ByDay(w, rows, teams: true, id => id is null ? "Unassigned Team" : "Team One"));

        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal("2025-03-01T00:00:00+00:00", json[0].GetProperty("group_by_day").GetString());
        var team = json[0].GetProperty("teams")[0];
        Assert.Equal("Team One", team.GetProperty("team_name").GetString());
        Assert.Equal(2m, team.GetProperty("total_spend").GetDecimal());
        Assert.Equal(15, team.GetProperty("metadata")[0].GetProperty("total_tokens").GetInt32());
        Assert.Equal("Unassigned Team", json[1].GetProperty("teams")[0].GetProperty("team_name").GetString());
    }

    [Fact]
    public void ByKey_Keys_MostSpendFirstWithModelDetails()
    {
        var day = new DateOnly(2025, 3, 1);
        ImmutableArray<SpendReportRow> rows = [new(day, "cheap", "m", 1m, 1, 1, 1), new(day, "dear", "m", 2m, 3, 4, 1), new(day.AddDays(1), "dear", "n", 3m, 1, 1, 1)];

        var json = Json.Written(w => SpendJson.ByKey(w, rows));

        Assert.Equal("dear", json[0].GetProperty("api_key").GetString());
        Assert.Equal(5m, json[0].GetProperty("total_cost").GetDecimal());
        Assert.Equal(4, json[0].GetProperty("total_input_tokens").GetInt32());
        Assert.Equal(2, json[0].GetProperty("model_details").GetArrayLength());
    }
}
