using HotDash.Api.Management;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary><c>litellm_settings.default_team_params</c> and <c>upperbound_key_generate_params</c>, honoured by the API.</summary>
public sealed class ConfigDefaultsTests(BoundedManagementFixture fixture) : IClassFixture<BoundedManagementFixture>
{
    private ManagementGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task TeamNew_FieldsLeftOut_TakeDefaultTeamParams()
    {
        var json = await Gateway.PostOkAsync("/team/new", """{"rpm_limit": 7}""");

        Assert.Equal(7, json.GetProperty("rpm_limit").GetInt32());
        Assert.Equal(5000, json.GetProperty("tpm_limit").GetInt32());
        Assert.Equal(25.5m, json.GetProperty("max_budget").GetDecimal());
        Assert.Equal("30d", json.GetProperty("budget_duration").GetString());
        Assert.Equal(["mock-chat"], json.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToArray());
        var stored = await Gateway.Registry.GetTeam(json.GetProperty("team_id").GetString()!);
        Assert.Equal(TimeSpan.FromDays(30), stored!.Limits.BudgetDuration);
    }

    [Fact]
    public async Task TeamUpdate_DefaultTeamParams_DoNotApply()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "tpm_limit": null}""");

        var json = await Gateway.PostOkAsync("/team/update", $$"""{"team_id": "{{id}}", "tpm_limit": null}""");

        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").GetProperty("tpm_limit").ValueKind);
    }

    [Fact]
    public async Task KeyGenerate_FieldsLeftOut_TakeTheUpperBound()
    {
        var before = DateTimeOffset.UtcNow;

        var json = await Gateway.PostOkAsync("/key/generate", """{"rpm_limit": 10}""");

        Assert.Equal(10, json.GetProperty("rpm_limit").GetInt32());
        Assert.Equal(100000, json.GetProperty("tpm_limit").GetInt32());
        Assert.Equal(100m, json.GetProperty("max_budget").GetDecimal());
        Assert.Equal(10, json.GetProperty("max_parallel_requests").GetInt32());
        Assert.Equal("30d", json.GetProperty("budget_duration").GetString());
        var expires = DateTimeOffset.Parse(json.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddDays(90).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(90).AddMinutes(1));
    }

    [Theory]
    [InlineData("\"max_budget\": 100.01", "max_budget")]
    [InlineData("\"rpm_limit\": 1001", "rpm_limit")]
    [InlineData("\"tpm_limit\": 100001", "tpm_limit")]
    [InlineData("\"max_parallel_requests\": 11", "max_parallel_requests")]
    [InlineData("\"duration\": \"91d\"", "duration")]
    [InlineData("\"budget_duration\": \"31d\"", "budget_duration")]
    public async Task KeyGenerate_AboveTheUpperBound_Is400NamingTheFieldAndNothingIsWritten(string field, string param)
    {
        var alias = Unique("over");

        var error = await Gateway.PostErrorAsync("/key/generate", $$"""{"key_alias": "{{alias}}", {{field}}}""", HttpStatusCode.BadRequest, param);

        Assert.Contains("over max limit set in config", error.GetProperty("message").GetString());
        Assert.Null(await Gateway.Registry.GetKeyByAlias(alias));
    }

    [Fact]
    public async Task KeyGenerate_AtTheUpperBound_IsAccepted()
    {
        var json = await Gateway.PostOkAsync("/key/generate", """{"max_budget": 100, "rpm_limit": 1000, "duration": "90d", "budget_duration": "30d"}""");

        Assert.Equal(1000, json.GetProperty("rpm_limit").GetInt32());
    }

    [Fact]
    public async Task KeyUpdate_AboveTheUpperBound_Is400AndTheKeyIsUnchanged()
    {
        var key = (await Gateway.PostOkAsync("/key/generate", """{"rpm_limit": 5}""")).GetProperty("key").GetString()!;

        await Gateway.PostErrorAsync("/key/update", $$"""{"key": "{{key}}", "rpm_limit": 5000}""", HttpStatusCode.BadRequest, "rpm_limit");

        Assert.Equal(5, (await Gateway.Registry.GetKey(VirtualKeys.Hash(key)))!.Limits.RpmLimit);
    }

    [Theory]
    [InlineData("\"rpm_limit\": 1001", "rpm_limit")]
    [InlineData("\"tpm_limit\": 100001", "tpm_limit")]
    [InlineData("\"max_parallel_requests\": 11", "max_parallel_requests")]
    [InlineData("\"duration\": \"91d\"", "duration")]
    public async Task UserNew_KeyAboveTheUpperBound_Is400NamingTheFieldAndNothingIsWritten(string field, string param)
    {
        var id = Unique("over-user");

        var error = await Gateway.PostErrorAsync("/user/new", $$"""{"user_id": "{{id}}", {{field}}}""", HttpStatusCode.BadRequest, param);

        Assert.Contains("over max limit set in config", error.GetProperty("message").GetString());
        Assert.Null(await Gateway.Registry.GetUser(id));
    }

    [Fact]
    public async Task UserNew_NoLimits_TheKeyTakesTheUpperBoundAndTheUserKeepsNone()
    {
        var id = Unique("user");
        var before = DateTimeOffset.UtcNow;

        var json = await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}"}""");

        var key = await Gateway.Registry.GetKey(VirtualKeys.Hash(json.GetProperty("key").GetString()!));
        Assert.Equal((1000L, 100000L, 10), (key!.Limits.RpmLimit!.Value, key.Limits.TpmLimit!.Value, key.Limits.MaxParallelRequests!.Value));
        Assert.InRange(key.Expires!.Value, before.AddDays(90).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(90).AddMinutes(1));
        Assert.Null(key.Limits.MaxBudget);
        var user = await Gateway.Registry.GetUser(id);
        Assert.Equal(((decimal?)null, (long?)null), (user!.Limits.MaxBudget, user.Limits.RpmLimit));
    }
}
