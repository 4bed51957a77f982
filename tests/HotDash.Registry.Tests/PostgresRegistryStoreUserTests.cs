using System.Collections.Immutable;

namespace HotDash.Registry.Tests;

/// <summary>Internal users in the PostgreSQL registry: a user and its key in one write, teams joined on create, cascading deletes.</summary>
public sealed class PostgresRegistryStoreUserTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    [Fact]
    public async Task CreateUserAsync_UserAndKey_WritesBothAndReadsBackFieldForField()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var user = new UserDefinition("u-ana")
        {
            UserAlias = "Ana",
            UserEmail = "ana@example.com",
            UserRole = "internal_user",
            Models = ["gpt-4o"],
            Limits = QuotaLimits.None with
            {
                MaxBudget = 20m,
                BudgetDuration = TimeSpan.FromHours(30),
                ModelRpmLimit = ImmutableDictionary<string, long>.Empty.Add("gpt-4o", 3),
            },
            BudgetDuration = "30h",
            Metadata = """{"dept":"research"}""",
        };
        var key = Key("ana-key", user: "u-ana", alias: "ana");

        var result = await store.CreateUserAsync(user, key, Admin);
        var read = await store.GetUserAsync("u-ana");

        Assert.Equal(RegistryResult.Ok, result);
        Assert.NotNull(read);
        Assert.Equal((user.UserAlias, user.UserEmail, user.UserRole), (read.UserAlias, read.UserEmail, read.UserRole));
        Assert.Equal(user.Models.ToArray(), read.Models.ToArray());
        RegistryAssert.SameLimits(user.Limits, read.Limits);
        Assert.Equal("30h", read.BudgetDuration);
        RegistryAssert.SameJson(user.Metadata, read.Metadata);
        Assert.Empty(read.Teams);
        Assert.Equal((Clock.Now, Clock.Now), (read.CreatedAt, read.UpdatedAt));
        RegistryAssert.SameKey(key, await store.GetKeyAsync(key.Token));
        Assert.Equal(["created users u-ana", $"created keys {key.Token}"], await AuditAsync());
        Assert.Null(await store.GetUserAsync("u-nobody"));
    }

    [Theory]
    [InlineData("user-taken", "user_id")]
    [InlineData("key-alias-taken", "key_alias")]
    [InlineData("key-team-unknown", "team_id")]
    [InlineData("key-taken", "key")]
    [InlineData("team-unknown", "teams")]
    [InlineData("malformed-budget-duration", "budget_duration")]
    public async Task CreateUserAsync_Refused_WritesNeitherTheUserNorItsKey(string problem, string param)
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateUserAsync(new UserDefinition("taken"), Key("existing", user: "taken", alias: "taken-alias"), Admin);
        var before = await StateAsync();
        var user = new UserDefinition(problem == "user-taken" ? "taken" : "u-new");
        var key = Key("new-key", user: user.UserId);
        (user, key) = problem switch
        {
            "key-alias-taken" => (user, key with { KeyAlias = "taken-alias" }),
            "key-team-unknown" => (user, key with { TeamId = "ghost" }),
            "key-taken" => (user, Key("existing", user: user.UserId)),
            "team-unknown" => (user with { Teams = ["ghost"] }, key),
            "malformed-budget-duration" => (user with { BudgetDuration = "1y" }, key),
            _ => (user, key),
        };

        var result = await store.CreateUserAsync(user, key, Admin);

        Assert.Equal((400, param), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateUserAsync_WithTeams_JoinsThemAsAPlainMember()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a"), Admin);
        await store.CreateTeamAsync(new TeamDefinition("team-b"), Admin);

        var result = await store.CreateUserAsync(new UserDefinition("u1") { UserEmail = "u1@example.com", Teams = ["team-b", "team-a"] }, null, Admin);

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(["team-a", "team-b"], (await store.GetUserAsync("u1"))!.Teams.Order(StringComparer.Ordinal));
        Assert.Equal([new TeamMember("u1", "u1@example.com", "user")], (await store.GetTeamAsync("team-b"))!.Members.ToArray());
    }

    [Fact]
    public async Task UpdateUserAsync_NewDefinition_KeepsTeamsSpendAndCreation()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        await store.WriteSpendAsync([new SpendRow("req-1", "", "gpt-4o", 2.25m, Start, Start) { UserId = "u1" }]);
        var created = Clock.Now;
        Clock.Advance(TimeSpan.FromHours(2));

        var result = await store.UpdateUserAsync(new UserDefinition("u1") { UserEmail = "u1@example.com", UserRole = "proxy_admin", Teams = [] }, Admin);
        var read = await store.GetUserAsync("u1");

        Assert.Equal(RegistryResult.Ok, result);
        Assert.Equal(("u1@example.com", "proxy_admin"), (read!.UserEmail, read.UserRole));
        Assert.Equal(["team-a"], read.Teams.ToArray());
        Assert.Equal(2.25m, read.Spend);
        Assert.Equal((created, Clock.Now), (read.CreatedAt, read.UpdatedAt));
        Assert.Equal("updated users u1", (await AuditAsync())[^1]);
    }

    [Fact]
    public async Task UpdateUserAsync_MissingUser_IsNotFoundAndWritesNothing()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        var before = await StateAsync();

        var result = await store.UpdateUserAsync(new UserDefinition("ghost"), Admin);

        Assert.Equal((404, "user_id"), (result.Status, result.Param));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task DeleteUsersAsync_Users_DeleteTheirKeysAndMembershipsAndReportTheKeys()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "admin"), new TeamMember("u2", null, "user")] }, Admin);
        var personal = Key("u1-personal", user: "u1");
        var inTeam = Key("u1-team", team: "team-a", user: "u1");
        var othersKey = Key("u2-key", user: "u2");
        foreach (var key in new[] { personal, inTeam, othersKey })
        {
            await store.CreateKeyAsync(key, Admin);
        }

        var deletion = await store.DeleteUsersAsync(["u1", "ghost"], Admin);

        Assert.Equal(["u1"], deletion.Deleted.ToArray());
        Assert.Equal(new[] { personal.Token, inTeam.Token }.Order(StringComparer.Ordinal), deletion.DeletedKeyTokens.Order(StringComparer.Ordinal));
        Assert.Null(await store.GetUserAsync("u1"));
        Assert.Null(await store.GetKeyAsync(inTeam.Token));
        Assert.NotNull(await store.GetKeyAsync(othersKey.Token));
        Assert.Equal([new TeamMember("u2", null, "user")], (await store.GetTeamAsync("team-a"))!.Members.ToArray());
        Assert.Equal(
            ["deleted keys", "deleted keys", "deleted team_memberships team-a/u1", "deleted users u1"],
            (await AuditAsync())[^4..].Select(line => line.StartsWith("deleted keys", StringComparison.Ordinal) ? "deleted keys" : line));
    }
}
