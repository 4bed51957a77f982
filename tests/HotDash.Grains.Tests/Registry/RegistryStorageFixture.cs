using HotDash.Grains.Registry;
using HotDash.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// One in-process silo hosting the embedded registry over memory grain storage behind a <see cref="RegistryFaultyStorage"/>
/// (named <c>hotdash</c>, as the silo's), so that tests can make a write fail and can put an older snapshot in place.
/// </summary>
public sealed class RegistryStorageFixture : IAsyncLifetime
{
    private const string MemoryStorageName = "hotdash-memory";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public RegistryFaultyStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredService<RegistryFaultyStorage>();

    public Serializer Serializer => Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();

    /// <summary>The storage identity of the embedded registry's grain.</summary>
    public GrainId RegistryStateId => Grains.GetGrain<IRegistryStateGrain>(IRegistryGrain.DefaultKey).GetGrainId();

    public RegistryStorageFixture()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddHotDashRegistry(database: null);
            silo.AddMemoryGrainStorage(MemoryStorageName);
            silo.Services.AddSingleton(sp => new RegistryFaultyStorage(sp.GetRequiredKeyedService<IGrainStorage>(MemoryStorageName)));
            silo.Services.AddKeyedSingleton<IGrainStorage>(RegistryStateGrain.StorageName, (sp, _) => sp.GetRequiredService<RegistryFaultyStorage>());
            silo.Services.AddHotDashGrainStateSerializer();
        });
        Cluster = builder.Build();
    }

    /// <summary>Deactivates every idle grain, so that the registry reads its storage again at the next call.</summary>
    public Task DeactivateAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>Replaces the stored registry snapshot with <paramref name="state"/> and deactivates the registry, which reads it next.</summary>
    public async Task StoreSnapshotAsync(RegistryState state)
    {
        await DeactivateAsync();
        var stored = new GrainState<RegistrySnapshot>();
        await Storage.ReadStateAsync("registry", RegistryStateId, stored);
        stored.State = new RegistrySnapshot { Data = Serializer.SerializeToArray(state) };
        await Storage.WriteStateAsync("registry", RegistryStateId, stored);
    }

    /// <summary>The registry state as last stored.</summary>
    public async Task<RegistryState> StoredSnapshotAsync()
    {
        var stored = new GrainState<RegistrySnapshot>();
        await Storage.ReadStateAsync("registry", RegistryStateId, stored);
        return Serializer.Deserialize<RegistryState>(stored.State!.Data)!;
    }

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
