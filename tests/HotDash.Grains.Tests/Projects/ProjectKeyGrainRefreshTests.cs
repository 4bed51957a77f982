using HotDash.Grains.Tests.Registry;
using static HotDash.Grains.Tests.Projects.ProjectsTestData;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Projects;

/// <summary>
/// A project-key write has reached the key's <see cref="IProjectKeyGrain"/> by the time it returns, also when the grain
/// had cached "no such key" and when it lives on the other silo (no waiting, no polling).
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class ProjectKeyGrainRefreshTests(RegistryClusterFixture fixture)
{
    // Writes enter at one silo, reads at the other, as from two gateways.
    private IRegistryGrain Registry => fixture.SiloGrains(0).Registry();

    private IGrainFactory Reader => fixture.SiloGrains(1);

    [Fact]
    public async Task CreateProjectKey_GrainHadCachedNotFound_SeesTheKeyAtOnce()
    {
        var (secret, key) = NewProjectKey(DefaultProject.Id);
        Assert.Null(await Reader.ProjectKeyGrain(key.PublicKey).Get());

        Assert.Equal(RegistryResult.Ok, await Registry.CreateProjectKey(key, Admin));

        var cached = await Reader.ProjectKeyGrain(key.PublicKey).Get();
        Assert.NotNull(cached);
        Assert.True(ProjectApiKeys.SecretMatches(cached, secret));
        Assert.Equal(fixture.Time.GetUtcNow(), cached.CreatedAt);
    }

    [Fact]
    public async Task ReplaceProjectKey_CachedKey_NewSecretInForceAtOnce()
    {
        var (oldSecret, key) = NewProjectKey(DefaultProject.Id);
        await Registry.CreateProjectKey(key, Admin);
        Assert.True(ProjectApiKeys.SecretMatches((await Reader.ProjectKeyGrain(key.PublicKey).Get())!, oldSecret));
        var newSecret = ProjectApiKeys.Generate().SecretKey;

        await Registry.ReplaceProjectKey(ProjectApiKeys.Define(key.PublicKey, newSecret, DefaultProject.Id, null, default), Admin);

        var cached = (await Reader.ProjectKeyGrain(key.PublicKey).Get())!;
        Assert.True(ProjectApiKeys.SecretMatches(cached, newSecret));
        Assert.False(ProjectApiKeys.SecretMatches(cached, oldSecret));
    }

    [Fact]
    public async Task DeleteProjectKeys_CachedKey_GrainForgetsIt()
    {
        var (_, key) = NewProjectKey(DefaultProject.Id);
        await Registry.CreateProjectKey(key, Admin);
        Assert.NotNull(await Reader.ProjectKeyGrain(key.PublicKey).Get());

        await Registry.DeleteProjectKeys([key.PublicKey], Admin);

        Assert.Null(await Reader.ProjectKeyGrain(key.PublicKey).Get());
    }

    [Fact]
    public async Task DeleteProjects_CachedKeysOfTheProject_GrainsForgetThem()
    {
        var project = Project();
        await Registry.CreateProject(project, Admin);
        var (_, key) = NewProjectKey(project.Id);
        await Registry.CreateProjectKey(key, Admin);
        Assert.NotNull(await Reader.ProjectKeyGrain(key.PublicKey).Get());

        await Registry.DeleteProjects([project.Id], Admin);

        Assert.Null(await Reader.ProjectKeyGrain(key.PublicKey).Get());
    }

    [Fact]
    public async Task ProjectKeyGrain_AfterDeactivation_LoadsTheStoredKeyAgain()
    {
        var (secret, key) = NewProjectKey(DefaultProject.Id);
        await Registry.CreateProjectKey(key, Admin);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.True(ProjectApiKeys.SecretMatches((await Reader.ProjectKeyGrain(key.PublicKey).Get())!, secret));
    }
}
