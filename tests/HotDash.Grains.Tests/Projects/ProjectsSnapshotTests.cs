using HotDash.Grains.Registry;
using HotDash.Grains.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static HotDash.Grains.Tests.Projects.ProjectsTestData;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Projects;

/// <summary>The embedded registry's snapshot keeps projects and keys, and a snapshot from before projects still reads.</summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class ProjectsSnapshotTests(RegistryClusterFixture fixture)
{
    private Serializer Serializer => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();

    [Fact]
    public void RegistryState_SnapshotFromBeforeProjects_ReadsWithEverythingElseAndNoProjects()
    {
        var key = Key();
        var legacy = new ProjectsLegacyRegistryState();
        legacy.Keys[key.Token] = key;
        legacy.Users["u"] = new UserDefinition("u") { UserEmail = "u@example.com" };
        legacy.SeenRequestIds.Add("r1");

        var state = Serializer.Deserialize<RegistryState>(Serializer.SerializeToArray(legacy))!;

        Assert.Equal(key.Token, state.Keys[key.Token].Token);
        Assert.Equal("u@example.com", state.Users["u"].UserEmail);
        Assert.Equal(["r1"], state.SeenRequestIds);
        Assert.Empty(state.Projects);
        Assert.Empty(state.ProjectKeys);
    }

    [Fact]
    public void RegistrySnapshot_ProjectsAndKeys_RoundTripThroughTheStorageSerializer()
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var project = Project("Round trip") with { CreatedAt = fixture.Time.GetUtcNow() };
        var (_, key) = NewProjectKey(project.Id, note: "n");
        var state = new RegistryState();
        state.Projects[project.Id] = project;
        state.ProjectKeys[key.PublicKey] = key;

        var stored = storage.Deserialize<RegistrySnapshot>(storage.Serialize(new RegistrySnapshot { Data = Serializer.SerializeToArray(state) }))!;
        var copy = Serializer.Deserialize<RegistryState>(stored.Data)!;

        Assert.Equal(project, copy.Projects[project.Id]);
        Assert.Equal(key, copy.ProjectKeys[key.PublicKey]);
    }

    [Fact]
    public async Task RegistryStateGrain_AfterDeactivation_HasTheProjectAndItsKey()
    {
        var registry = fixture.Grains.Registry();
        var project = Project();
        await registry.CreateProject(project, Admin);
        var (secret, key) = NewProjectKey(project.Id);
        await registry.CreateProjectKey(key, Admin);
        var defaultCreated = (await registry.GetProject(DefaultProject.Id))!.CreatedAt;

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(project.Id, (await registry.GetProject(project.Id))?.Id);
        Assert.True(ProjectApiKeys.SecretMatches((await registry.GetProjectKey(key.PublicKey))!, secret));
        Assert.Equal(defaultCreated, (await registry.GetProject(DefaultProject.Id))!.CreatedAt);
    }
}
