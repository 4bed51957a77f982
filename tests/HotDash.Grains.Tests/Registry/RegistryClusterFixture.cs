using HotDash.Grains.Storage;
using HotDash.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// Two in-process silos hosting the embedded registry as the silo does without a database (the grain registry store,
/// memory grain storage named <c>hotdash</c>), with a <see cref="FakeTimeProvider"/> as the grains' clock. Two silos so
/// that a write entering at one silo can be checked at the other, as from two gateways.
/// </summary>
public sealed class RegistryClusterFixture : IAsyncLifetime
{
    /// <summary>The storage name the registry and quota grains ask for (SiloHostingExtensions.GrainStorageName).</summary>
    public const string StorageName = "hotdash";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client (an external caller, as the gateway is).</summary>
    public IGrainFactory Grains => Cluster.Client;

    public RegistryClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddHotDashRegistry(database: null);
            silo.AddMemoryGrainStorage(StorageName);
            silo.Services.AddHotDashGrainStateSerializer();
        });
        Cluster = builder.Build();
    }

    /// <summary>Grain calls entering the cluster at silo <paramref name="index"/>.</summary>
    public IGrainFactory SiloGrains(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
