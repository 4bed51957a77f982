using HotDash.Api.Management;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>/team/new, /team/update, /team/delete, /team/info, /team/list, /team/member_add, /team/member_delete in LiteLLM's shapes.</summary>
[Collection(ManagementCollection.Name)]
public sealed class TeamEndpointsTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    private static string[] Ids(JsonElement list, string name) => [.. list.EnumerateArray().Select(e => e.GetProperty(name).GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task New_WithMembersAndLimits_AnswersTheTeamAndCreatesTheUsers()
    {
        var (id, alias, ann, bob) = (Unique("team"), Unique("alias"), Unique("ann"), Unique("bob"));

        var json = await Gateway.PostOkAsync("/team/new", $$"""
            {"team_id": "{{id}}", "team_alias": "{{alias}}", "models": ["mock-chat"], "rpm_limit": 50, "tpm_limit": 5000,
             "max_budget": 10, "budget_duration": "30d", "metadata": {"cost_center": "42"},
             "members_with_roles": [{"role": "admin", "user_id": "{{ann}}"}, {"role": "user", "user_id": "{{bob}}"}]}
            """);

        Assert.Equal(id, json.GetProperty("team_id").GetString());
        Assert.Equal(alias, json.GetProperty("team_alias").GetString());
        Assert.Equal((50, 5000), (json.GetProperty("rpm_limit").GetInt32(), json.GetProperty("tpm_limit").GetInt32()));
        Assert.Equal(10m, json.GetProperty("max_budget").GetDecimal());
        Assert.Equal("30d", json.GetProperty("budget_duration").GetString());
        Assert.Equal(new[] { ann, bob }.Order(StringComparer.Ordinal), Ids(json.GetProperty("members_with_roles"), "user_id"));
        Assert.Equal(ann, Assert.Single(json.GetProperty("admins").EnumerateArray()).GetString());
        Assert.Equal("42", json.GetProperty("metadata").GetProperty("cost_center").GetString());
        var stored = await Gateway.Registry.GetTeam(id);
        Assert.Equal(TimeSpan.FromDays(30), stored!.Limits.BudgetDuration);
        Assert.Contains(id, (await Gateway.Registry.GetUser(bob))!.Teams);
    }

    [Fact]
    public async Task New_NoTeamId_GeneratesOne()
    {
        var json = await Gateway.PostOkAsync("/team/new", "{}");

        var id = json.GetProperty("team_id").GetString()!;
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.NotNull(await Gateway.Registry.GetTeam(id));
    }

    [Theory]
    [InlineData("\"rpm_limit\": -1", "rpm_limit")]
    [InlineData("\"tpm_limit\": \"many\"", "tpm_limit")]
    [InlineData("\"max_budget\": -3", "max_budget")]
    [InlineData("\"budget_duration\": \"30x\"", "budget_duration")]
    [InlineData("\"models\": {\"a\": 1}", "models")]
    [InlineData("\"blocked\": 1", "blocked")]
    [InlineData("\"members_with_roles\": [{\"role\": \"owner\", \"user_id\": \"x\"}]", "members_with_roles")]
    [InlineData("\"members_with_roles\": [{\"role\": \"user\"}]", "members_with_roles")]
    [InlineData("\"model_max_budget\": {\"m\": {\"budget_limit\": \"x\"}}", "model_max_budget")]
    public async Task New_BadField_Is400NamingItAndNothingIsWritten(string field, string param)
    {
        var id = Unique("bad-team");

        await Gateway.PostErrorAsync("/team/new", $$"""{"team_id": "{{id}}", {{field}}}""", HttpStatusCode.BadRequest, param);

        Assert.Null(await Gateway.Registry.GetTeam(id));
    }

    [Fact]
    public async Task New_TakenIdOrAlias_Is400NamingIt()
    {
        var (id, alias) = (Unique("team"), Unique("alias"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "team_alias": "{{alias}}"}""");
        var other = Unique("team");

        await Gateway.PostErrorAsync("/team/new", $$"""{"team_id": "{{id}}"}""", HttpStatusCode.BadRequest, "team_id");
        await Gateway.PostErrorAsync("/team/new", $$"""{"team_id": "{{other}}", "team_alias": "{{alias}}"}""", HttpStatusCode.BadRequest, "team_alias");

        Assert.Null(await Gateway.Registry.GetTeam(other));
    }

    [Fact]
    public async Task Update_GivenFields_ReplaceAndMembersStay()
    {
        var (id, ann) = (Unique("team"), Unique("ann"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "rpm_limit": 5, "tpm_limit": 50, "members_with_roles": [{"role": "user", "user_id": "{{ann}}"}]}""");

        var json = await Gateway.PostOkAsync("/team/update", $$"""{"team_id": "{{id}}", "rpm_limit": 6, "tpm_limit": null, "blocked": true}""");

        Assert.Equal(id, json.GetProperty("team_id").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(6, data.GetProperty("rpm_limit").GetInt32());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("tpm_limit").ValueKind);
        Assert.True(data.GetProperty("blocked").GetBoolean());
        Assert.Equal([ann], Ids(data.GetProperty("members_with_roles"), "user_id"));
    }

    [Theory]
    [InlineData("{\"rpm_limit\": 1}", HttpStatusCode.BadRequest, "team_id")]
    [InlineData("{\"team_id\": \"no-such-team-to-update\", \"rpm_limit\": 1}", HttpStatusCode.NotFound, "team_id")]
    public async Task Update_NoKnownTeam_IsRefused(string body, HttpStatusCode status, string param)
    {
        await Gateway.PostErrorAsync("/team/update", body, status, param);
    }

    [Fact]
    public async Task Update_BadValue_Is400AndTheTeamIsUnchanged()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "rpm_limit": 5}""");

        await Gateway.PostErrorAsync("/team/update", $$"""{"team_id": "{{id}}", "rpm_limit": -6}""", HttpStatusCode.BadRequest, "rpm_limit");

        Assert.Equal(5, (await Gateway.Registry.GetTeam(id))!.Limits.RpmLimit);
    }

    [Fact]
    public async Task Info_Team_AnswersTeamInfoAndItsKeys()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "team_alias": "{{Unique("alias")}}"}""");
        var token = (await Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{id}}"}""")).GetProperty("token").GetString()!;

        var json = await Gateway.GetOkAsync($"/team/info?team_id={id}");

        Assert.Equal(["team_id", "team_info", "keys", "team_memberships"], Json.Names(json));
        Assert.Equal(id, json.GetProperty("team_info").GetProperty("team_id").GetString());
        Assert.Equal(token, Assert.Single(json.GetProperty("keys").EnumerateArray()).GetProperty("token").GetString());
    }

    [Fact]
    public async Task Info_UnknownOrMissingTeam_IsRefused()
    {
        await Gateway.GetErrorAsync("/team/info?team_id=" + Unique("none"), HttpStatusCode.NotFound, "team_id");
        await Gateway.GetErrorAsync("/team/info", HttpStatusCode.BadRequest, "team_id");
    }

    [Fact]
    public async Task List_UserFilter_AnswersTheUsersTeamsWithTheirKeys()
    {
        var (a, b, ann) = (Unique("team"), Unique("team"), Unique("ann"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{a}}", "members_with_roles": [{"role": "user", "user_id": "{{ann}}"}]}""");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{b}}"}""");
        await Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{a}}"}""");

        var mine = await Gateway.GetOkAsync($"/team/list?user_id={ann}");
        var all = await Gateway.GetOkAsync("/team/list");

        var team = Assert.Single(mine.EnumerateArray());
        Assert.Equal(a, team.GetProperty("team_id").GetString());
        Assert.Single(team.GetProperty("keys").EnumerateArray());
        var ids = all.EnumerateArray().Select(t => t.GetProperty("team_id").GetString()).ToHashSet();
        Assert.Contains(a, ids);
        Assert.Contains(b, ids);
    }

    [Fact]
    public async Task MemberAdd_NewUsers_JoinAndAreCreated()
    {
        var (id, ann, email) = (Unique("team"), Unique("ann"), Unique("bob") + "@example.com");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        var json = await Gateway.PostOkAsync("/team/member_add", $$"""
            {"team_id": "{{id}}", "member": [{"role": "admin", "user_id": "{{ann}}"}, {"role": "user", "user_email": "{{email}}"}]}
            """);

        Assert.Equal(new[] { ann, email }.Order(StringComparer.Ordinal), Ids(json.GetProperty("members_with_roles"), "user_id"));
        Assert.Equal(new[] { ann, email }.Order(StringComparer.Ordinal), Ids(json.GetProperty("updated_users"), "user_id"));
        Assert.Contains(id, (await Gateway.Registry.GetUser(ann))!.Teams);
        Assert.Equal("admin", (await Gateway.Registry.GetTeam(id))!.Members.Single(m => m.UserId == ann).Role);
    }

    [Fact]
    public async Task MemberAdd_OneMemberObject_Joins()
    {
        var (id, ann) = (Unique("team"), Unique("ann"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        await Gateway.PostOkAsync("/team/member_add", $$"""{"team_id": "{{id}}", "member": {"role": "user", "user_id": "{{ann}}"} }""");

        Assert.Equal(ann, Assert.Single((await Gateway.Registry.GetTeam(id))!.Members).UserId);
    }

    [Fact]
    public async Task MemberAdd_AlreadyInTeam_Is400NamingMember()
    {
        var (id, ann) = (Unique("team"), Unique("ann"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}", "members_with_roles": [{"role": "user", "user_id": "{{ann}}"}]}""");

        await Gateway.PostErrorAsync("/team/member_add", $$"""{"team_id": "{{id}}", "member": {"role": "admin", "user_id": "{{ann}}"} }""", HttpStatusCode.BadRequest, "member");

        Assert.Equal("user", Assert.Single((await Gateway.Registry.GetTeam(id))!.Members).Role);
    }

    [Theory]
    [InlineData("{\"member\": {\"role\": \"user\", \"user_id\": \"x\"}}", HttpStatusCode.BadRequest, "team_id")]
    [InlineData("{\"team_id\": \"TEAM\"}", HttpStatusCode.BadRequest, "member")]
    [InlineData("{\"team_id\": \"TEAM\", \"member\": {\"role\": \"boss\", \"user_id\": \"x\"}}", HttpStatusCode.BadRequest, "member")]
    [InlineData("{\"team_id\": \"TEAM\", \"member\": \"x\"}", HttpStatusCode.BadRequest, "member")]
    [InlineData("{\"team_id\": \"no-such-team-to-join\", \"member\": {\"role\": \"user\", \"user_id\": \"x\"}}", HttpStatusCode.NotFound, "team_id")]
    public async Task MemberAdd_BadRequest_IsRefusedAndNobodyJoins(string body, HttpStatusCode status, string param)
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        await Gateway.PostErrorAsync("/team/member_add", body.Replace("TEAM", id, StringComparison.Ordinal), status, param);

        Assert.Empty((await Gateway.Registry.GetTeam(id))!.Members);
    }

    [Fact]
    public async Task MemberDelete_ByIdOrEmail_LeavesAndKeepsTheirKeys()
    {
        var (id, ann, email) = (Unique("team"), Unique("ann"), Unique("bob") + "@example.com");
        await Gateway.PostOkAsync("/team/new", $$"""
            {"team_id": "{{id}}", "members_with_roles": [{"role": "user", "user_id": "{{ann}}"}, {"role": "user", "user_email": "{{email}}"}]}
            """);
        var token = (await Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{id}}", "user_id": "{{ann}}"}""")).GetProperty("token").GetString()!;

        await Gateway.PostOkAsync("/team/member_delete", $$"""{"team_id": "{{id}}", "user_id": "{{ann}}"}""");
        var json = await Gateway.PostOkAsync("/team/member_delete", $$"""{"team_id": "{{id}}", "user_email": "{{email}}"}""");

        Assert.Empty(json.GetProperty("members_with_roles").EnumerateArray());
        Assert.DoesNotContain(id, (await Gateway.Registry.GetUser(ann))!.Teams);
        Assert.NotNull(await Gateway.Registry.GetKey(token));
    }

    [Theory]
    [InlineData("{\"user_id\": \"x\"}", "team_id")]
    [InlineData("{\"team_id\": \"TEAM\"}", "user_id")]
    [InlineData("{\"team_id\": \"TEAM\", \"user_id\": \"not-a-member\"}", "user_id")]
    [InlineData("{\"team_id\": \"no-such-team-to-leave\", \"user_id\": \"x\"}", "team_id")]
    public async Task MemberDelete_NoSuchMembership_Is400(string body, string param)
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        await Gateway.PostErrorAsync("/team/member_delete", body.Replace("TEAM", id, StringComparison.Ordinal), HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task Delete_Teams_AnswersDeletedTeamsAndTheirKeysGoToo()
    {
        var (a, b) = (Unique("team"), Unique("team"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{a}}"}""");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{b}}"}""");
        var token = (await Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{a}}"}""")).GetProperty("token").GetString()!;

        var json = await Gateway.PostOkAsync("/team/delete", $$"""{"team_ids": ["{{a}}", "{{b}}"]}""");

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), json.GetProperty("deleted_teams").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.Null(await Gateway.Registry.GetTeam(a));
        Assert.Null(await Gateway.Registry.GetKey(token));
    }

    [Fact]
    public async Task Delete_OneTeamUnknown_Is404AndNothingIsDeleted()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        await Gateway.PostErrorAsync("/team/delete", $$"""{"team_ids": ["{{id}}", "{{Unique("none")}}"]}""", HttpStatusCode.NotFound, "team_ids");

        Assert.NotNull(await Gateway.Registry.GetTeam(id));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"team_ids\": []}")]
    [InlineData("{\"team_ids\": \"t\"}")]
    public async Task Delete_NoTeamIds_Is400(string body)
    {
        await Gateway.PostErrorAsync("/team/delete", body, HttpStatusCode.BadRequest, "team_ids");
    }

    [Fact]
    public async Task BlockAndUnblock_Team_AnswerTheUpdatedTeamRow()
    {
        var id = Unique("team");
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        var blocked = await Gateway.PostOkAsync("/team/block", $$"""{"team_id": "{{id}}"}""");
        var unblocked = await Gateway.PostOkAsync("/team/unblock", $$"""{"team_id": "{{id}}"}""");

        Assert.Equal((id, true), (blocked.GetProperty("team_id").GetString(), blocked.GetProperty("blocked").GetBoolean()));
        Assert.False(unblocked.GetProperty("blocked").GetBoolean());
        Assert.False((await Gateway.Registry.GetTeam(id))!.Blocked);
    }

    [Theory]
    [InlineData("/team/block")]
    [InlineData("/team/unblock")]
    public async Task Block_UnknownOrMissingTeam_IsRefusedNamingTeamId(string path)
    {
        await Gateway.PostErrorAsync(path, $$"""{"team_id": "{{Unique("none")}}"}""", HttpStatusCode.NotFound, "team_id");
        await Gateway.PostErrorAsync(path, "{}", HttpStatusCode.BadRequest, "team_id");
    }
}
