using HotDash.Grains.Admission;
using HotDash.Grains.Tests.Admission;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// A write has reached the key, team and user grains by the time it returns (no waiting, no polling); admission sees it
/// at once on the silo the write went through and on every other silo within <see cref="DefinitionCache.Lifetime"/>.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryRefreshTests(RegistryClusterFixture fixture)
{
    // Writes enter at one silo, reads at the other, as from two gateways.
    private IRegistryGrain Registry => fixture.SiloGrains(0).Registry();

    private IGrainFactory Reader => fixture.SiloGrains(1);

    [Fact]
    public async Task CreateKey_KeyGrainHadCachedNotFound_SeesTheKeyAtOnce()
    {
        var key = Key();
        Assert.Null(await Reader.KeyGrain(key).Get());

        await Registry.CreatedKey(key);

        Assert.Equal(key.Token, (await Reader.KeyGrain(key).Get())?.Token);
    }

    [Fact]
    public async Task UpdateKey_CachedKey_NewLimitsVisibleAtOnce()
    {
        var key = await Registry.CreatedKey(Key());
        Assert.Null((await Reader.KeyGrain(key).Get())!.Limits.RpmLimit);

        await Registry.UpdateKey(key with { Limits = QuotaLimits.None with { RpmLimit = 7 } }, Admin);

        Assert.Equal(7, (await Reader.KeyGrain(key).Get())!.Limits.RpmLimit);
    }

    [Fact]
    public async Task UpdateKey_Block_RefusedAtOnceWhereChangedAndOnEverySiloWithinTheCacheLifetime()
    {
        var key = await Registry.CreatedKey(Key());
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Reader.Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status);

        await Registry.UpdateKey(key with { Blocked = true }, Admin);
        var here = (await fixture.SiloGrains(0).Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status;
        fixture.Time.Advance(DefinitionCache.Lifetime);
        var elsewhere = (await Reader.Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status;

        Assert.Equal(KeyAdmissionStatus.Blocked, here);
        Assert.Equal(KeyAdmissionStatus.Blocked, elsewhere);
    }

    [Fact]
    public async Task DeleteKeys_CachedKey_KeyGrainForgetsItAndAdmissionSaysUnknown()
    {
        var key = await Registry.CreatedKey(Key());
        Assert.NotNull(await Reader.KeyGrain(key).Get());

        await Registry.DeleteKeys([key.Token], Admin);

        Assert.Null(await Reader.KeyGrain(key).Get());
        Assert.Equal(KeyAdmissionStatus.UnknownKey, (await Reader.Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status);
    }

    [Fact]
    public async Task RegenerateKey_CachedKey_OldHashForgottenNewHashKnown()
    {
        var old = await Registry.CreatedKey(Key() with { Models = ["gpt-4o"] });
        var renewed = Key() with { Models = ["gpt-4o"] };
        Assert.NotNull(await Reader.KeyGrain(old).Get());
        Assert.Null(await Reader.KeyGrain(renewed).Get());

        await Registry.RegenerateKey(old.Token, renewed, Admin);

        Assert.Null(await Reader.KeyGrain(old).Get());
        Assert.Equal<string>(["gpt-4o"], (await Reader.KeyGrain(renewed).Get())!.Models);
    }

    [Fact]
    public async Task UpdateTeam_Block_KeysOfTheTeamAreRefusedAtOnceWhereChangedAndEverywhereWithinTheCacheLifetime()
    {
        var team = await Registry.CreatedTeam();
        var key = await Registry.CreatedKey(Key(team.TeamId));
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Reader.Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status);

        await Registry.UpdateTeam(team with { Blocked = true }, Admin);
        var here = (await fixture.SiloGrains(0).Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status;
        fixture.Time.Advance(DefinitionCache.Lifetime);
        var elsewhere = (await Reader.Admission().AdmitKey(AdmissionKeyTestData.Request(key))).Status;

        Assert.Equal(KeyAdmissionStatus.TeamBlocked, here);
        Assert.Equal(KeyAdmissionStatus.TeamBlocked, elsewhere);
    }

    [Fact]
    public async Task DeleteTeams_CachedTeamAndKeys_TeamAndKeyGrainsForgetThem()
    {
        var team = await Registry.CreatedTeam();
        var key = await Registry.CreatedKey(Key(team.TeamId));
        Assert.NotNull(await Reader.GetGrain<ITeamGrain>(team.TeamId).Get());
        Assert.NotNull(await Reader.KeyGrain(key).Get());

        await Registry.DeleteTeams([team.TeamId], Admin);

        Assert.Null(await Reader.GetGrain<ITeamGrain>(team.TeamId).Get());
        Assert.Null(await Reader.KeyGrain(key).Get());
    }

    [Fact]
    public async Task AddAndRemoveTeamMembers_CachedTeamAndUser_BothSeeTheChangeAtOnce()
    {
        var team = await Registry.CreatedTeam();
        var user = await Registry.CreatedUser();
        Assert.Empty((await Reader.GetGrain<ITeamGrain>(team.TeamId).Get())!.Members);
        Assert.Empty((await Reader.GetGrain<IUserGrain>(user.UserId).Get())!.Teams);

        await Registry.AddTeamMembers(team.TeamId, [Member(user.UserId)], Admin);

        Assert.Equal([user.UserId], (await Reader.GetGrain<ITeamGrain>(team.TeamId).Get())!.Members.Select(m => m.UserId));
        Assert.Equal<string>([team.TeamId], (await Reader.GetGrain<IUserGrain>(user.UserId).Get())!.Teams);

        await Registry.RemoveTeamMembers(team.TeamId, [user.UserId], Admin);

        Assert.Empty((await Reader.GetGrain<ITeamGrain>(team.TeamId).Get())!.Members);
        Assert.Empty((await Reader.GetGrain<IUserGrain>(user.UserId).Get())!.Teams);
    }

    [Fact]
    public async Task DeleteUsers_CachedUserTeamAndKey_AllSeeTheDeletionAtOnce()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(userId: user.UserId));
        Assert.NotNull(await Reader.GetGrain<IUserGrain>(user.UserId).Get());
        Assert.NotEmpty((await Reader.GetGrain<ITeamGrain>(team.TeamId).Get())!.Members);
        Assert.NotNull(await Reader.KeyGrain(key).Get());

        await Registry.DeleteUsers([user.UserId], Admin);

        Assert.Null(await Reader.GetGrain<IUserGrain>(user.UserId).Get());
        Assert.Empty((await Reader.GetGrain<ITeamGrain>(team.TeamId).Get())!.Members);
        Assert.Null(await Reader.KeyGrain(key).Get());
    }

    [Fact]
    public async Task UpdateUser_CachedUser_NewLimitsVisibleAtOnce()
    {
        var user = await Registry.CreatedUser();
        Assert.Null((await Reader.GetGrain<IUserGrain>(user.UserId).Get())!.Limits.MaxBudget);

        await Registry.UpdateUser(user with { Limits = QuotaLimits.None with { MaxBudget = 3m } }, Admin);

        Assert.Equal(3m, (await Reader.GetGrain<IUserGrain>(user.UserId).Get())!.Limits.MaxBudget);
    }
}
