namespace HotDash.Registry.Tests;

/// <summary>
/// <c>/user/list</c>'s query in the PostgreSQL registry: paging, each filter alone and combined, newest first with
/// user_id breaking ties, teams and key counts on each user. The embedded registry answers the same scenario the same
/// way (<c>RegistryGrainUserListTests</c> in HotDash.Grains.Tests).
/// </summary>
public sealed class PostgresRegistryStoreUserListTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    [Fact]
    public async Task ListUsersAsync_ByTeam_PagesNewestFirstWithTheTotal()
    {
        var store = await ScenarioAsync();
        if (store is null)
        {
            return;
        }

        var first = await store.ListUsersAsync(new UserListQuery([], null, "team-a", 1, 2));
        var second = await store.ListUsersAsync(new UserListQuery([], null, "team-a", 2, 2));
        var beyond = await store.ListUsersAsync(new UserListQuery([], null, "team-a", 3, 2));
        var all = await store.ListUsersAsync(new UserListQuery([], null, null, 1, 100));

        Assert.Equal((3, 3, 3), (first.TotalCount, second.TotalCount, beyond.TotalCount));
        Assert.Equal(["u-cid", "u-bob"], Ids(first));
        Assert.Equal(["u-ana"], Ids(second));
        Assert.Empty(beyond.Users);
        // u-dee and u-eve share a creation time: user_id decides, as in the embedded registry.
        Assert.Equal(["u-dee", "u-eve", "u-cid", "u-bob", "u-ana"], Ids(all));
        Assert.Equal(5, all.TotalCount);
    }

    [Fact]
    public async Task ListUsersAsync_EachFilter_MatchesOnlyItsUsers()
    {
        var store = await ScenarioAsync();
        if (store is null)
        {
            return;
        }

        var byIds = await store.ListUsersAsync(new UserListQuery(["u-ana", "u-dee", "u-nobody"], null, null, 1, 25));
        var byRole = await store.ListUsersAsync(new UserListQuery([], "proxy_admin", null, 1, 25));
        var byTeamAndRole = await store.ListUsersAsync(new UserListQuery([], "internal_user", "team-a", 1, 25));
        var byEmail = await store.ListUsersAsync(new UserListQuery([], null, null, 1, 25) { UserEmail = "EXAMPLE.com" });
        var byTeamB = await store.ListUsersAsync(new UserListQuery([], null, "team-b", 1, 25));
        var none = await store.ListUsersAsync(new UserListQuery([], null, "team-none", 1, 25));

        Assert.Equal(["u-dee", "u-ana"], Ids(byIds));
        Assert.Equal(["u-bob"], Ids(byRole));
        Assert.Equal(["u-cid", "u-ana"], Ids(byTeamAndRole));
        Assert.Equal(["u-bob", "u-ana"], Ids(byEmail));
        Assert.Equal(["u-dee", "u-bob"], Ids(byTeamB));
        Assert.Equal((0, 0), (none.TotalCount, none.Users.Length));
    }

    [Fact]
    public async Task ListUsersAsync_Page_CarriesTeamsKeyCountsAndTheStoredFields()
    {
        var store = await ScenarioAsync();
        if (store is null)
        {
            return;
        }

        var page = await store.ListUsersAsync(new UserListQuery(["u-ana", "u-bob", "u-cid"], null, null, 1, 25));

        var bob = page.Users.Single(u => u.UserId == "u-bob");
        Assert.Equal(["team-a", "team-b"], bob.Teams.ToArray());
        Assert.Equal(("bob@example.com", "proxy_admin", 7m), (bob.UserEmail, bob.UserRole, bob.Limits.MaxBudget));
        Assert.Equal(Start.AddMinutes(1), bob.CreatedAt);
        Assert.Equal((0, 2, 1), (page.KeyCounts["u-ana"], page.KeyCounts["u-bob"], page.KeyCounts["u-cid"]));
        Assert.Equal(3, page.KeyCounts.Count);
    }

    private static string[] Ids(UserPage page) => [.. page.Users.Select(u => u.UserId)];

    /// <summary>
    /// Teams a and b; users a minute apart: ana (team a), bob (a and b, proxy_admin, two keys), cid (a, one key), then
    /// dee (b, no email) and eve at the same instant; one key without a user.
    /// </summary>
    private async Task<PostgresRegistryStore?> ScenarioAsync()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return null;
        }
        Ok(await store.CreateTeamAsync(new TeamDefinition("team-a"), Admin));
        Ok(await store.CreateTeamAsync(new TeamDefinition("team-b"), Admin));
        Ok(await store.CreateUserAsync(new UserDefinition("u-ana") { UserEmail = "ana@Example.com", UserRole = "internal_user", Teams = ["team-a"] }, null, Admin));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await store.CreateUserAsync(new UserDefinition("u-bob")
        {
            UserEmail = "bob@example.com",
            UserRole = "proxy_admin",
            Teams = ["team-a", "team-b"],
            Limits = QuotaLimits.None with { MaxBudget = 7m },
        }, Key("bob-1", user: "u-bob"), Admin));
        Ok(await store.CreateKeyAsync(Key("bob-2", team: "team-b", user: "u-bob"), Admin));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await store.CreateUserAsync(new UserDefinition("u-cid") { UserEmail = "cid@other.org", UserRole = "internal_user", Teams = ["team-a"] }, Key("cid-1", user: "u-cid"), Admin));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await store.CreateUserAsync(new UserDefinition("u-eve") { UserRole = "internal_user_viewer" }, null, Admin));
        Ok(await store.CreateUserAsync(new UserDefinition("u-dee") { UserRole = "internal_user", Teams = ["team-b"] }, null, Admin));
        Ok(await store.CreateKeyAsync(Key("nobody-1"), Admin));
        return store;
    }

    private static void Ok(RegistryResult result) => Assert.True(result.IsOk, result.Message);
}
