using System.Collections.Immutable;

namespace HotDash.Registry.Tests;

/// <summary>Teams and their members in the PostgreSQL registry: round trips, member upserts, refusals, cascading deletes.</summary>
public sealed class PostgresRegistryStoreTeamTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    [Fact]
    public async Task CreateTeamAsync_FullDefinition_ReadsBackFieldForField()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var team = new TeamDefinition("team-ml")
        {
            TeamAlias = "Machine Learning",
            Models = ["gpt-4o", "claude"],
            Limits = QuotaLimits.None with
            {
                RpmLimit = 50,
                TpmLimit = 20_000,
                MaxParallelRequests = 8,
                MaxBudget = 100m,
                BudgetDuration = TimeSpan.FromDays(30),
                ModelTpmLimit = ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 5_000),
                ModelMaxBudget = ImmutableDictionary<string, ModelBudget>.Empty.Add("claude", new ModelBudget(10m, TimeSpan.FromHours(1))),
            },
            BudgetDuration = "30d",
            Metadata = """{"cost_center":"42"}""",
            BudgetResetAt = Start.AddDays(30),
        };

        var result = await store.CreateTeamAsync(team, Admin);
        var read = await store.GetTeamAsync("team-ml");

        Assert.Equal(RegistryResult.Ok, result);
        Assert.NotNull(read);
        Assert.Equal(team.TeamAlias, read.TeamAlias);
        Assert.Equal(team.Models.ToArray(), read.Models.ToArray());
        RegistryAssert.SameLimits(team.Limits, read.Limits);
        Assert.Equal("30d", read.BudgetDuration);
        RegistryAssert.SameJson(team.Metadata, read.Metadata);
        Assert.False(read.Blocked);
        Assert.Empty(read.Members);
        Assert.Equal(team.BudgetResetAt, read.BudgetResetAt);
        Assert.Equal((Clock.Now, Clock.Now), (read.CreatedAt, read.UpdatedAt));
        Assert.Null(await store.GetTeamAsync("no-such-team"));
    }

    [Fact]
    public async Task CreateTeamAsync_WithMembers_CreatesTheMissingUsersAndTheMemberships()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateUserAsync(new UserDefinition("u-old") { UserEmail = "old@example.com" }, null, Admin);
        var team = new TeamDefinition("team-a")
        {
            Members = [new TeamMember("u-old", "ignored@example.com", "user"), new TeamMember("u-new", "new@example.com", "admin")],
        };

        var result = await store.CreateTeamAsync(team, Admin);
        var read = await store.GetTeamAsync("team-a");

        Assert.Equal(RegistryResult.Ok, result);
        // An existing user keeps its email; a new one gets the member's.
        Assert.Equal([new TeamMember("u-new", "new@example.com", "admin"), new TeamMember("u-old", "old@example.com", "user")], read!.Members.ToArray());
        Assert.Equal(["team-a"], (await store.GetUserAsync("u-new"))!.Teams.ToArray());
        Assert.Equal(["team-a"], (await store.GetUserAsync("u-old"))!.Teams.ToArray());
        Assert.Equal(
            ["created users u-old", "created teams team-a", "created users u-new", "created team_memberships team-a/u-new", "created team_memberships team-a/u-old"],
            await AuditAsync());
    }

    [Theory]
    [InlineData("team-id-taken", "team_id")]
    [InlineData("team-alias-taken", "team_alias")]
    [InlineData("member-role", "role")]
    [InlineData("metadata-not-an-object", "metadata")]
    [InlineData("negative-budget", "max_budget")]
    public async Task CreateTeamAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, string param)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("taken") { TeamAlias = "Taken" }, Admin);
        var before = await StateAsync();
        var member = new TeamMember("would-be-created", null, "user");
        var team = problem switch
        {
            "team-id-taken" => new TeamDefinition("taken") { Members = [member] },
            "team-alias-taken" => new TeamDefinition("new") { TeamAlias = "Taken", Members = [member] },
            "member-role" => new TeamDefinition("new") { Members = [member with { Role = "owner" }] },
            "metadata-not-an-object" => new TeamDefinition("new") { Metadata = "\"text\"" },
            _ => new TeamDefinition("new") { Limits = QuotaLimits.None with { MaxBudget = -5m }, Members = [member] },
        };

        var result = await store.CreateTeamAsync(team, Admin);

        Assert.Equal((400, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task UpdateTeamAsync_NewDefinition_KeepsMembersSpendAndCreation()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "admin")] }, Admin);
        await store.CreateKeyAsync(Key("team-key", team: "team-a"), Admin);
        await store.WriteSpendAsync([new SpendRow("req-1", Key("team-key").Token, "gpt-4o", 4m, Start, Start) { TeamId = "team-a" }]);
        var created = Clock.Now;
        Clock.Advance(TimeSpan.FromDays(1));

        var result = await store.UpdateTeamAsync(new TeamDefinition("team-a") { TeamAlias = "A", Blocked = true, Limits = QuotaLimits.None with { RpmLimit = 5 } }, Admin);
        var read = await store.GetTeamAsync("team-a");

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(("A", true, 5L), (read!.TeamAlias, read.Blocked, read.Limits.RpmLimit));
        Assert.Equal([new TeamMember("u1", null, "admin")], read.Members.ToArray());
        Assert.Equal(4m, read.Spend);
        Assert.Equal(4m, read.ModelSpend["gpt-4o"]);
        Assert.Equal((created, Clock.Now), (read.CreatedAt, read.UpdatedAt));
        Assert.Equal("blocked teams team-a", (await AuditAsync())[^1]);
    }

    [Theory]
    [InlineData("missing-team", 404, "team_id")]
    [InlineData("alias-of-another-team", 400, "team_alias")]
    public async Task UpdateTeamAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, int status, string param)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("mine") { TeamAlias = "Mine" }, Admin);
        await store.CreateTeamAsync(new TeamDefinition("theirs") { TeamAlias = "Theirs" }, Admin);
        var before = await StateAsync();
        var team = problem == "missing-team" ? new TeamDefinition("nobody") : new TeamDefinition("mine") { TeamAlias = "Theirs" };

        var result = await store.UpdateTeamAsync(team, Admin);

        Assert.Equal((status, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task AddTeamMembersAsync_NewAndExistingMembers_AddsUsersAndChangesRoles()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user"), new TeamMember("u2", null, "user")] }, Admin);
        var auditBefore = (await AuditAsync()).Count;

        var result = await store.AddTeamMembersAsync("team-a",
            [new TeamMember("u1", null, "admin"), new TeamMember("u2", null, "user"), new TeamMember("u3", "u3@example.com", "user")], Admin);
        var read = await store.GetTeamAsync("team-a");

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(
            [new TeamMember("u1", null, "admin"), new TeamMember("u2", null, "user"), new TeamMember("u3", "u3@example.com", "user")],
            read!.Members.ToArray());
        // u2's role did not change: nothing to audit for it.
        Assert.Equal(["created users u3", "updated team_memberships team-a/u1", "created team_memberships team-a/u3"], (await AuditAsync())[auditBefore..]);
        Assert.Equal("user|admin", await Db.ScalarAsync<string>("""
            SELECT (before_value ->> 'role') || '|' || (updated_values ->> 'role') FROM hotdash.audit_log WHERE action = 'updated'
            """));
    }

    [Fact]
    public async Task AddTeamMembersAsync_UnknownTeam_IsNotFoundAndCreatesNoUser()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var before = await StateAsync();

        var result = await store.AddTeamMembersAsync("ghost", [new TeamMember("u1", null, "user")], Admin);

        Assert.Equal((404, "team_id"), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task RemoveTeamMembersAsync_Members_LeaveTheTeamWhileTheirKeysStay()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user"), new TeamMember("u2", null, "admin")] }, Admin);
        await store.CreateKeyAsync(Key("u1-key", team: "team-a", user: "u1"), Admin);

        var result = await store.RemoveTeamMembersAsync("team-a", ["u1"], Admin);

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal([new TeamMember("u2", null, "admin")], (await store.GetTeamAsync("team-a"))!.Members.ToArray());
        Assert.Empty((await store.GetUserAsync("u1"))!.Teams);
        Assert.NotNull(await store.GetKeyAsync(Key("u1-key").Token));
        Assert.Equal("deleted team_memberships team-a/u1", (await AuditAsync())[^1]);
    }

    [Theory]
    [InlineData("not-a-member", 400, "user_id")]
    [InlineData("unknown-team", 404, "team_id")]
    public async Task RemoveTeamMembersAsync_Refused_ReturnsTheFieldAndWritesNothing(string problem, int status, string param)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        await store.CreateUserAsync(new UserDefinition("outsider"), null, Admin);
        var before = await StateAsync();

        var result = problem == "not-a-member"
            ? await store.RemoveTeamMembersAsync("team-a", ["u1", "outsider"], Admin)
            : await store.RemoveTeamMembersAsync("ghost", ["u1"], Admin);

        Assert.Equal((status, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task ListTeamsAsync_WithAndWithoutUser_ListsTheUsersTeamsOrEveryTeam()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.CreateTeamAsync(new TeamDefinition("team-b") { Members = [new TeamMember("u2", null, "user")] }, Admin);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.CreateTeamAsync(new TeamDefinition("team-c") { Members = [new TeamMember("u1", null, "admin"), new TeamMember("u2", null, "user")] }, Admin);

        var all = await store.ListTeamsAsync(null);
        var mine = await store.ListTeamsAsync("u1");
        var nobodys = await store.ListTeamsAsync("u-none");

        Assert.Equal(["team-a", "team-b", "team-c"], all.Select(t => t.TeamId));
        Assert.Equal(["team-a", "team-c"], mine.Select(t => t.TeamId));
        Assert.Equal(2, mine[1].Members.Length);
        Assert.Empty(nobodys);
    }

    [Fact]
    public async Task DeleteTeamsAsync_Teams_DeleteTheirKeysAndMembershipsAndReportTheKeys()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        await store.CreateTeamAsync(new TeamDefinition("team-b") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        KeyDefinition[] teamKeys = [Key("a-one", team: "team-a", user: "u1"), Key("a-two", team: "team-a")];
        var otherKey = Key("b-one", team: "team-b");
        foreach (var key in teamKeys.Append(otherKey))
        {
            await store.CreateKeyAsync(key, Admin);
        }

        var deletion = await store.DeleteTeamsAsync(["team-a", "ghost"], Admin);

        Assert.Equal(["team-a"], deletion.Deleted.ToArray());
        Assert.Equal(teamKeys.Select(k => k.Token).Order(StringComparer.Ordinal), deletion.DeletedKeyTokens.Order(StringComparer.Ordinal));
        Assert.Null(await store.GetTeamAsync("team-a"));
        foreach (var key in teamKeys)
        {
            Assert.Null(await store.GetKeyAsync(key.Token));
        }
        Assert.NotNull(await store.GetKeyAsync(otherKey.Token));
        Assert.Equal(["team-b"], (await store.GetUserAsync("u1"))!.Teams.ToArray());
        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND table_name = 'teams' AND object_id = 'team-a'"));
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND table_name = 'keys'"));
        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.audit_log WHERE action = 'deleted' AND table_name = 'team_memberships'"));
    }
}
