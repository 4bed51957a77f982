using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// <c>ListUsers</c> on the embedded registry: the scenario <c>PostgresRegistryStoreUserListTests</c> runs on PostgreSQL
/// (HotDash.Registry.Tests), with the same answers: paging, filters, newest first with user_id breaking ties, teams and
/// key counts. Ids are unique per test because the cluster is shared; the team filter keeps other tests' users out.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryGrainUserListTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task ListUsers_ByTeam_PagesNewestFirstWithTheTotal()
    {
        var s = await ScenarioAsync();

        var first = await Registry.ListUsers(new UserListQuery([], null, s.TeamA, 1, 2));
        var second = await Registry.ListUsers(new UserListQuery([], null, s.TeamA, 2, 2));
        var beyond = await Registry.ListUsers(new UserListQuery([], null, s.TeamA, 3, 2));
        var mine = await Registry.ListUsers(new UserListQuery([s.Ana, s.Bob, s.Cid, s.Dee, s.Eve], null, null, 1, 100));

        Assert.Equal((3, 3, 3), (first.TotalCount, second.TotalCount, beyond.TotalCount));
        Assert.Equal([s.Cid, s.Bob], Ids(first));
        Assert.Equal([s.Ana], Ids(second));
        Assert.Empty(beyond.Users);
        // Dee and Eve share a creation time: user_id decides, as in PostgreSQL.
        Assert.Equal([.. Sorted(s.Dee, s.Eve), s.Cid, s.Bob, s.Ana], Ids(mine));
    }

    [Fact]
    public async Task ListUsers_EachFilter_MatchesOnlyItsUsers()
    {
        var s = await ScenarioAsync();

        var byIds = await Registry.ListUsers(new UserListQuery([s.Ana, s.Dee, "u-nobody-" + s.Ana], null, null, 1, 25));
        var byRole = await Registry.ListUsers(new UserListQuery([], "proxy_admin", s.TeamA, 1, 25));
        var byTeamAndRole = await Registry.ListUsers(new UserListQuery([], "internal_user", s.TeamA, 1, 25));
        var byEmail = await Registry.ListUsers(new UserListQuery([], null, s.TeamA, 1, 25) { UserEmail = "EXAMPLE.com" });
        var byTeamB = await Registry.ListUsers(new UserListQuery([], null, s.TeamB, 1, 25));
        var none = await Registry.ListUsers(new UserListQuery([], null, TestData.UniqueId("team-none"), 1, 25));

        Assert.Equal([s.Dee, s.Ana], Ids(byIds));
        Assert.Equal([s.Bob], Ids(byRole));
        Assert.Equal([s.Cid, s.Ana], Ids(byTeamAndRole));
        Assert.Equal([s.Bob, s.Ana], Ids(byEmail));
        Assert.Equal([s.Dee, s.Bob], Ids(byTeamB));
        Assert.Equal((0, 0), (none.TotalCount, none.Users.Length));
    }

    [Fact]
    public async Task ListUsers_Page_CarriesTeamsKeyCountsAndTheStoredFields()
    {
        var s = await ScenarioAsync();

        var page = await Registry.ListUsers(new UserListQuery([s.Ana, s.Bob, s.Cid], null, null, 1, 25));

        var bob = page.Users.Single(u => u.UserId == s.Bob);
        Assert.Equal(Sorted(s.TeamA, s.TeamB), Sorted([.. bob.Teams]));
        Assert.Equal(("bob@example.com", "proxy_admin", 7m), (bob.UserEmail, bob.UserRole, bob.Limits.MaxBudget));
        Assert.Equal((0, 2, 1), (page.KeyCounts[s.Ana], page.KeyCounts[s.Bob], page.KeyCounts[s.Cid]));
        Assert.Equal(3, page.KeyCounts.Count);
    }

    private static string[] Ids(UserPage page) => [.. page.Users.Select(u => u.UserId)];

    private sealed record Scenario(string TeamA, string TeamB, string Ana, string Bob, string Cid, string Dee, string Eve);

    /// <summary>The PostgreSQL test's scenario with unique ids: users a minute apart, Dee and Eve at the same instant.</summary>
    private async Task<Scenario> ScenarioAsync()
    {
        var s = new Scenario(TestData.UniqueId("team-a"), TestData.UniqueId("team-b"), TestData.UniqueId("u-ana"), TestData.UniqueId("u-bob"),
            TestData.UniqueId("u-cid"), TestData.UniqueId("u-dee"), TestData.UniqueId("u-eve"));
        Ok(await Registry.CreateTeam(new TeamDefinition(s.TeamA), Admin));
        Ok(await Registry.CreateTeam(new TeamDefinition(s.TeamB), Admin));
        Ok(await Registry.CreateUser(new UserDefinition(s.Ana) { UserEmail = "ana@Example.com", UserRole = "internal_user", Teams = [s.TeamA] }, null, Admin));
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Ok(await Registry.CreateUser(new UserDefinition(s.Bob)
        {
            UserEmail = "bob@example.com",
            UserRole = "proxy_admin",
            Teams = [s.TeamA, s.TeamB],
            Limits = QuotaLimits.None with { MaxBudget = 7m },
        }, Key(null, s.Bob), Admin));
        Ok(await Registry.CreateKey(Key(s.TeamB, s.Bob), Admin));
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Ok(await Registry.CreateUser(new UserDefinition(s.Cid) { UserEmail = "cid@other.org", UserRole = "internal_user", Teams = [s.TeamA] }, Key(null, s.Cid), Admin));
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Ok(await Registry.CreateUser(new UserDefinition(s.Eve) { UserRole = "internal_user_viewer" }, null, Admin));
        Ok(await Registry.CreateUser(new UserDefinition(s.Dee) { UserRole = "internal_user", Teams = [s.TeamB] }, null, Admin));
        Ok(await Registry.CreateKey(Key(), Admin));
        return s;
    }

    private static void Ok(RegistryResult result) => Assert.True(result.IsOk, result.Message);
}
