using HotDash.Api.Management;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>/user/new, /user/info, /user/update, /user/delete in LiteLLM's shapes.</summary>
[Collection(ManagementCollection.Name)]
public sealed class UserEndpointsTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task New_User_CreatesTheUserAndAKeyForIt()
    {
        var (id, team) = (Unique("user"), Unique("team"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}"}""");

        var json = await Gateway.PostOkAsync("/user/new", $$"""
            {"user_id": "{{id}}", "user_email": "{{id}}@example.com", "user_alias": "Ann", "user_role": "internal_user",
             "max_budget": 9, "budget_duration": "30d", "rpm_limit": 40, "models": ["mock-chat"], "teams": ["{{team}}"],
             "key_alias": "{{id}}-key", "duration": "1d"}
            """);

        var key = json.GetProperty("key").GetString()!;
        Assert.StartsWith("sk-", key);
        Assert.Equal(id, json.GetProperty("user_id").GetString());
        Assert.Equal(9m, json.GetProperty("max_budget").GetDecimal());
        Assert.Equal([team], json.GetProperty("teams").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var user = await Gateway.Registry.GetUser(id);
        Assert.Equal(("Ann", "internal_user", 9m), (user!.UserAlias, user.UserRole, user.Limits.MaxBudget!.Value));
        var stored = await Gateway.Registry.GetKey(VirtualKeys.Hash(key));
        Assert.Equal(id, stored!.UserId);
        Assert.Equal($"{id}-key", stored.KeyAlias);
        Assert.Equal(40, stored.Limits.RpmLimit);
        Assert.Null(stored.Limits.MaxBudget);
        Assert.NotNull(stored.Expires);
        Assert.Contains((await Gateway.Registry.GetTeam(team))!.Members, m => m.UserId == id);
    }

    [Fact]
    public async Task New_NoAutoCreateKey_CreatesOnlyTheUser()
    {
        var id = Unique("user");

        var json = await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}", "auto_create_key": false}""");

        Assert.Equal("", json.GetProperty("key").GetString());
        Assert.NotNull(await Gateway.Registry.GetUser(id));
        Assert.Equal(0, (await Gateway.Registry.ListKeys(new HotDash.Grains.KeyListQuery(null, id, null, 1, 10))).TotalCount);
    }

    [Theory]
    [InlineData("\"teams\": [\"no-such-team-for-user\"]", "teams")]
    [InlineData("\"teams\": \"t\"", "teams")]
    [InlineData("\"user_role\": \"emperor\"", "user_role")]
    [InlineData("\"max_budget\": -1", "max_budget")]
    [InlineData("\"rpm_limit\": \"x\"", "rpm_limit")]
    [InlineData("\"budget_duration\": \"30x\"", "budget_duration")]
    [InlineData("\"duration\": \"30x\"", "duration")]
    [InlineData("\"auto_create_key\": \"yes\"", "auto_create_key")]
    public async Task New_BadField_Is400NamingItAndNothingIsWritten(string field, string param)
    {
        var id = Unique("bad-user");

        await Gateway.PostErrorAsync("/user/new", $$"""{"user_id": "{{id}}", {{field}}}""", HttpStatusCode.BadRequest, param);

        Assert.Null(await Gateway.Registry.GetUser(id));
    }

    [Fact]
    public async Task New_TakenUserId_Is400NamingUserId()
    {
        var id = Unique("user");
        await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}", "max_budget": 1}""");

        await Gateway.PostErrorAsync("/user/new", $$"""{"user_id": "{{id}}", "max_budget": 2}""", HttpStatusCode.BadRequest, "user_id");

        Assert.Equal(1m, (await Gateway.Registry.GetUser(id))!.Limits.MaxBudget);
    }

    [Fact]
    public async Task Info_User_AnswersUserInfoKeysAndTeams()
    {
        var (id, team) = (Unique("user"), Unique("team"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}"}""");
        var key = (await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}", "teams": ["{{team}}"]}""")).GetProperty("key").GetString()!;

        var json = await Gateway.GetOkAsync($"/user/info?user_id={id}");

        Assert.Equal(["user_id", "user_info", "keys", "teams"], Json.Names(json));
        Assert.Equal(id, json.GetProperty("user_info").GetProperty("user_id").GetString());
        Assert.Equal(VirtualKeys.Hash(key), Assert.Single(json.GetProperty("keys").EnumerateArray()).GetProperty("token").GetString());
        Assert.Equal(team, Assert.Single(json.GetProperty("teams").EnumerateArray()).GetProperty("team_id").GetString());
    }

    [Fact]
    public async Task Info_UnknownOrMissingUser_IsRefused()
    {
        await Gateway.GetErrorAsync("/user/info?user_id=" + Unique("none"), HttpStatusCode.NotFound, "user_id");
        await Gateway.GetErrorAsync("/user/info", HttpStatusCode.BadRequest, "user_id");
    }

    [Fact]
    public async Task Update_GivenFields_Replace()
    {
        var id = Unique("user");
        await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}", "max_budget": 1, "tpm_limit": 10}""");

        var json = await Gateway.PostOkAsync("/user/update", $$"""{"user_id": "{{id}}", "max_budget": 2, "tpm_limit": null, "user_role": "proxy_admin_viewer"}""");

        Assert.Equal(id, json.GetProperty("user_id").GetString());
        Assert.Equal(2m, json.GetProperty("data").GetProperty("max_budget").GetDecimal());
        var user = await Gateway.Registry.GetUser(id);
        Assert.Equal((2m, (long?)null, "proxy_admin_viewer"), (user!.Limits.MaxBudget!.Value, user.Limits.TpmLimit, user.UserRole));
    }

    [Theory]
    [InlineData("{\"max_budget\": 1}", HttpStatusCode.BadRequest, "user_id")]
    [InlineData("{\"user_email\": \"a@example.com\", \"max_budget\": 1}", HttpStatusCode.BadRequest, "user_id")]
    [InlineData("{\"user_id\": \"no-such-user-to-update\", \"max_budget\": 1}", HttpStatusCode.NotFound, "user_id")]
    public async Task Update_NoKnownUser_IsRefused(string body, HttpStatusCode status, string param)
    {
        await Gateway.PostErrorAsync("/user/update", body, status, param);
    }

    [Fact]
    public async Task Update_BadValue_Is400AndTheUserIsUnchanged()
    {
        var id = Unique("user");
        await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{id}}", "max_budget": 1}""");

        await Gateway.PostErrorAsync("/user/update", $$"""{"user_id": "{{id}}", "max_budget": -1}""", HttpStatusCode.BadRequest, "max_budget");

        Assert.Equal(1m, (await Gateway.Registry.GetUser(id))!.Limits.MaxBudget);
    }

    [Fact]
    public async Task Delete_Users_AnswersTheCountAndTheirKeysGo()
    {
        var (a, b) = (Unique("user"), Unique("user"));
        var key = (await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{a}}"}""")).GetProperty("key").GetString()!;
        await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{b}}", "auto_create_key": false}""");

        var json = await Gateway.PostOkAsync("/user/delete", $$"""{"user_ids": ["{{a}}", "{{b}}", "{{Unique("none")}}"]}""");

        Assert.Equal(2, json.GetInt32());
        Assert.Null(await Gateway.Registry.GetUser(a));
        Assert.Null(await Gateway.Registry.GetKey(VirtualKeys.Hash(key)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"user_ids\": []}")]
    [InlineData("{\"user_ids\": [1]}")]
    public async Task Delete_NoUserIds_Is400(string body)
    {
        await Gateway.PostErrorAsync("/user/delete", body, HttpStatusCode.BadRequest, "user_ids");
    }
}
