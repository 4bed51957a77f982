using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryGrainUserTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task CreateUser_WithAKey_StoresBothInOneWrite()
    {
        var user = User() with { UserRole = "internal_user", Models = ["gpt-4o"], Limits = QuotaLimits.None with { MaxBudget = 5m } };
        var key = Key(userId: user.UserId);

        var result = await Registry.CreateUser(user, key, Admin);
        var stored = await Registry.GetUser(user.UserId);

        Assert.True(result.IsOk);
        Assert.NotNull(stored);
        Assert.Equal("internal_user", stored.UserRole);
        Assert.Equal<string>(["gpt-4o"], stored.Models);
        Assert.Equal(5m, stored.Limits.MaxBudget);
        Assert.Equal(user.UserId, (await Registry.GetKey(key.Token))?.UserId);
    }

    [Fact]
    public async Task CreateUser_WithTeams_MakesItAMemberOfEach()
    {
        var team = await Registry.CreatedTeam();
        var user = User() with { Teams = [team.TeamId] };

        var result = await Registry.CreateUser(user, null, Admin);

        Assert.True(result.IsOk);
        Assert.Equal<string>([team.TeamId], (await Registry.GetUser(user.UserId))!.Teams);
        Assert.Equal([user.UserId], (await Registry.GetTeam(team.TeamId))!.Members.Select(m => m.UserId));
    }

    [Fact]
    public async Task CreateUser_IdTaken_IsRefusedNamingUserId()
    {
        var user = await Registry.CreatedUser();

        var result = await Registry.CreateUser(user with { UserAlias = "again" }, null, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("user_id", result.Param);
        Assert.Null((await Registry.GetUser(user.UserId))!.UserAlias);
    }

    [Fact]
    public async Task CreateUser_KeyOfAnUnknownTeam_IsRefusedAndStoresNeitherUserNorKey()
    {
        var user = User();
        var key = Key(TestData.UniqueId("no-such-team"), user.UserId);

        var result = await Registry.CreateUser(user, key, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("team_id", result.Param);
        Assert.Null(await Registry.GetUser(user.UserId));
        Assert.Null(await Registry.GetKey(key.Token));
    }

    [Fact]
    public async Task CreateUser_UnknownTeam_IsRefusedNamingTeams()
    {
        var user = User() with { Teams = [TestData.UniqueId("no-such-team")] };

        var result = await Registry.CreateUser(user, null, Admin);

        Assert.Equal(400, result.Status);
        Assert.Equal("teams", result.Param);
        Assert.Null(await Registry.GetUser(user.UserId));
    }

    [Fact]
    public async Task UpdateUser_MissingUser_IsNotFound()
    {
        var result = await Registry.UpdateUser(User(), Admin);

        Assert.Equal(404, result.Status);
        Assert.Equal("user_id", result.Param);
    }

    [Fact]
    public async Task UpdateUser_ExistingUser_ReplacesTheDefinitionAndKeepsTeamsAndSpend()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(userId: user.UserId));
        await fixture.Grains.Ledger().Write([SpendOf(key, 1.5m, fixture.Time.GetUtcNow())]);

        var result = await Registry.UpdateUser(new UserDefinition(user.UserId) { UserAlias = "renamed" }, Admin);
        var stored = await Registry.GetUser(user.UserId);

        Assert.True(result.IsOk);
        Assert.Equal("renamed", stored!.UserAlias);
        Assert.Equal<string>([team.TeamId], stored.Teams);
        Assert.Equal(1.5m, stored.Spend);
    }

    [Fact]
    public async Task DeleteUsers_UserWithKeysAndTeams_DeletesItsKeysAndMemberships()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(userId: user.UserId));
        var teamKey = await Registry.CreatedKey(Key(team.TeamId));

        var deletion = await Registry.DeleteUsers([user.UserId, TestData.UniqueId("no-such-user")], Admin);

        Assert.Equal<string>([user.UserId], deletion.Deleted);
        Assert.Equal<string>([key.Token], deletion.DeletedKeyTokens);
        Assert.Null(await Registry.GetUser(user.UserId));
        Assert.Null(await Registry.GetKey(key.Token));
        Assert.NotNull(await Registry.GetKey(teamKey.Token));
        Assert.Empty((await Registry.GetTeam(team.TeamId))!.Members);
    }
}
