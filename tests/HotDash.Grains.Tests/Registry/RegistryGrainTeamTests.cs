using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryGrainTeamTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task CreateTeam_WithMembersNotYetUsers_CreatesTheUsersAndListsTheMembers()
    {
        var admin = TestData.UniqueId("user");
        var member = TestData.UniqueId("user");
        var team = Team(Member(admin, "admin"), new TeamMember(member, "m@example.com", "user")) with
        {
            TeamAlias = TestData.UniqueId("alias"),
            Models = ["gpt-4o"],
            Limits = QuotaLimits.None with { TpmLimit = 1_000 },
        };

        var result = await Registry.CreateTeam(team, Admin);
        var stored = await Registry.GetTeam(team.TeamId);
        var user = await Registry.GetUser(member);

        Assert.True(result.IsOk);
        Assert.NotNull(stored);
        Assert.Equal(team.TeamAlias, stored.TeamAlias);
        Assert.Equal<string>(["gpt-4o"], stored.Models);
        Assert.Equal(1_000, stored.Limits.TpmLimit);
        // One write: the members in user-id order, as PostgreSQL lists them.
        Assert.Equal(new[] { (admin, "admin"), (member, "user") }.OrderBy(m => m.Item1, StringComparer.Ordinal), stored.Members.Select(m => (m.UserId, m.Role)));
        Assert.NotNull(user);
        Assert.Equal("m@example.com", user.UserEmail);
        Assert.Equal<string>([team.TeamId], user.Teams);
    }

    [Fact]
    public async Task CreateTeam_IdTaken_IsRefusedNamingTeamId()
    {
        var team = await Registry.CreatedTeam();

        var result = await Registry.CreateTeam(team with { TeamAlias = TestData.UniqueId("alias") }, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("team_id", result.Param);
        Assert.Null((await Registry.GetTeam(team.TeamId))!.TeamAlias);
    }

    [Fact]
    public async Task CreateTeam_AliasTaken_IsRefusedNamingTeamAliasAndCreatesNoMembers()
    {
        var alias = TestData.UniqueId("alias");
        await Registry.CreatedTeam(Team() with { TeamAlias = alias });
        var member = TestData.UniqueId("user");
        var second = Team(Member(member)) with { TeamAlias = alias };

        var result = await Registry.CreateTeam(second, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("team_alias", result.Param);
        Assert.Null(await Registry.GetTeam(second.TeamId));
        Assert.Null(await Registry.GetUser(member));
    }

    [Fact]
    public async Task CreateTeam_MemberWithAnUnknownRole_IsRefused()
    {
        var team = Team(Member(TestData.UniqueId("user"), "owner"));

        var result = await Registry.CreateTeam(team, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("role", result.Param);
        Assert.Null(await Registry.GetTeam(team.TeamId));
    }

    [Fact]
    public async Task UpdateTeam_MissingTeam_IsNotFound()
    {
        var result = await Registry.UpdateTeam(Team(), Admin);

        Assert.Equal(404, result.Status);
        Assert.Equal("team_id", result.Param);
    }

    [Fact]
    public async Task UpdateTeam_ExistingTeam_ReplacesTheDefinitionAndKeepsMembersAndSpend()
    {
        var member = TestData.UniqueId("user");
        var team = await Registry.CreatedTeam(Team(Member(member)));
        var key = await Registry.CreatedKey(Key(team.TeamId));
        await fixture.Grains.Ledger().Write([SpendOf(key, 0.75m, fixture.Time.GetUtcNow())]);

        var result = await Registry.UpdateTeam(new TeamDefinition(team.TeamId) { Blocked = true, Models = ["gpt-4o-mini"] }, Admin);
        var stored = await Registry.GetTeam(team.TeamId);

        Assert.True(result.IsOk);
        Assert.NotNull(stored);
        Assert.True(stored.Blocked);
        Assert.Equal<string>(["gpt-4o-mini"], stored.Models);
        Assert.Equal([member], stored.Members.Select(m => m.UserId));
        Assert.Equal(0.75m, stored.Spend);
    }

    [Fact]
    public async Task UpdateTeam_AliasOfAnotherTeam_IsRefusedNamingTeamAlias()
    {
        var alias = TestData.UniqueId("alias");
        await Registry.CreatedTeam(Team() with { TeamAlias = alias });
        var team = await Registry.CreatedTeam();

        var result = await Registry.UpdateTeam(team with { TeamAlias = alias }, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("team_alias", result.Param);
    }

    [Fact]
    public async Task AddTeamMembers_UnknownTeam_IsNotFound()
    {
        var member = TestData.UniqueId("user");

        var result = await Registry.AddTeamMembers(TestData.UniqueId("no-such-team"), [Member(member)], Admin);

        Assert.Equal(404, result.Status);
        Assert.Equal("team_id", result.Param);
        Assert.Null(await Registry.GetUser(member));
    }

    [Fact]
    public async Task AddTeamMembers_NewAndExistingMembers_CreatesUsersAndChangesRoles()
    {
        var existing = TestData.UniqueId("user");
        var team = await Registry.CreatedTeam(Team(Member(existing)));
        var newcomer = TestData.UniqueId("user");
        fixture.Time.Advance(TimeSpan.FromSeconds(1));

        var result = await Registry.AddTeamMembers(team.TeamId, [Member(existing, "admin"), Member(newcomer)], Admin);
        var stored = await Registry.GetTeam(team.TeamId);

        Assert.True(result.IsOk);
        Assert.Equal([(existing, "admin"), (newcomer, "user")], stored!.Members.Select(m => (m.UserId, m.Role)));
        Assert.Equal<string>([team.TeamId], (await Registry.GetUser(newcomer))!.Teams);
    }

    [Fact]
    public async Task RemoveTeamMembers_Member_LeavesTheTeamButKeepsItsKeys()
    {
        var member = TestData.UniqueId("user");
        var team = await Registry.CreatedTeam(Team(Member(member)));
        var key = await Registry.CreatedKey(Key(team.TeamId, member));

        var result = await Registry.RemoveTeamMembers(team.TeamId, [member], Admin);

        Assert.True(result.IsOk);
        Assert.Empty((await Registry.GetTeam(team.TeamId))!.Members);
        Assert.Empty((await Registry.GetUser(member))!.Teams);
        Assert.NotNull(await Registry.GetKey(key.Token));
    }

    [Fact]
    public async Task RemoveTeamMembers_UserNotInTheTeam_IsRefusedNamingUserIdAndRemovesNobody()
    {
        var member = TestData.UniqueId("user");
        var team = await Registry.CreatedTeam(Team(Member(member)));
        var stranger = await Registry.CreatedUser();

        var result = await Registry.RemoveTeamMembers(team.TeamId, [member, stranger.UserId], Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("user_id", result.Param);
        Assert.Contains(stranger.UserId, result.Message, StringComparison.Ordinal);
        Assert.Equal<string>([member], (await Registry.GetTeam(team.TeamId))!.Members.Select(m => m.UserId));
    }

    [Fact]
    public async Task RemoveTeamMembers_UnknownTeam_IsNotFound()
    {
        var result = await Registry.RemoveTeamMembers(TestData.UniqueId("no-such-team"), ["someone"], Admin);

        Assert.Equal(404, result.Status);
    }

    [Fact]
    public async Task DeleteTeams_TeamWithKeysAndMembers_DeletesTheKeysAndMembershipsButNotTheUsers()
    {
        var member = TestData.UniqueId("user");
        var team = await Registry.CreatedTeam(Team(Member(member)));
        var a = await Registry.CreatedKey(Key(team.TeamId));
        var b = await Registry.CreatedKey(Key(team.TeamId, member));
        var other = await Registry.CreatedKey(Key());

        var deletion = await Registry.DeleteTeams([team.TeamId, TestData.UniqueId("no-such-team")], Admin);

        Assert.Equal<string>([team.TeamId], deletion.Deleted);
        Assert.Equal(Sorted(a.Token, b.Token), Sorted([.. deletion.DeletedKeyTokens]));
        Assert.Null(await Registry.GetTeam(team.TeamId));
        Assert.Null(await Registry.GetKey(a.Token));
        Assert.NotNull(await Registry.GetKey(other.Token));
        Assert.Empty((await Registry.GetUser(member))!.Teams);
    }

    [Fact]
    public async Task ListTeams_ForAUser_ListsOnlyTheTeamsItIsIn()
    {
        var member = TestData.UniqueId("user");
        var mine = await Registry.CreatedTeam(Team(Member(member)));
        var other = await Registry.CreatedTeam();

        var all = await Registry.ListTeams(null);
        var its = await Registry.ListTeams(member);

        Assert.Contains(all, t => t.TeamId == mine.TeamId);
        Assert.Contains(all, t => t.TeamId == other.TeamId);
        Assert.Equal([mine.TeamId], its.Select(t => t.TeamId));
        Assert.Equal([member], its[0].Members.Select(m => m.UserId));
    }
}
