using HotDash.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Quotas;

/// <summary>
/// Two in-process silos with the silo's embedded-default grain storage (memory, named <c>hotdash</c>) and a
/// <see cref="FakeTimeProvider"/> as the grains' clock, grain timers included (Orleans' own loops stay on real
/// time). Two silos so that admissions can enter the cluster at different silos, as from two gateways.
/// </summary>
public sealed class QuotaClusterFixture : IAsyncLifetime
{
    /// <summary>The storage name the quota grain's state asks for (SiloHostingExtensions.GrainStorageName).</summary>
    public const string StorageName = "hotdash";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client (an external caller, as the gateway is).</summary>
    public IGrainFactory Grains => Cluster.Client;

    public QuotaClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.AddSingleton<HotDash.Grains.Admission.DefinitionCache>();
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.AddMemoryGrainStorage(StorageName);
            silo.Services.AddHotDashGrainStateSerializer();
        });
        Cluster = builder.Build();
    }

    /// <summary>Grain calls entering the cluster at silo <paramref name="index"/>.</summary>
    public IGrainFactory SiloGrains(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>The grain storage itself, to see what has been written.</summary>
    public IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
