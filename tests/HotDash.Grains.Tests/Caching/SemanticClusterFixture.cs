using HotDash.Grains.Caching;
using HotDash.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Caching;

/// <summary>
/// One in-process silo with the silo's embedded-default grain storage (memory, named <c>hotdash</c>, Orleans' binary
/// state serializer) and semantic index options small enough to reach the row cap and the write batch in a test.
/// </summary>
public sealed class SemanticClusterFixture : IAsyncLifetime
{
    /// <summary>The cap the fixture's indexes run with: more than two pages, so paging is exercised.</summary>
    public const int MaxRows = 600;

    /// <summary>Adds after which a write starts.</summary>
    public const int WriteEveryAdds = 8;

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client (an external caller, as the gateway is).</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The grain storage itself, to see what has been written.</summary>
    public IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SemanticIndexGrain.StorageName);

    public SemanticClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(SemanticIndexGrain.StorageName);
            silo.Services.AddHotDashGrainStateSerializer();
            silo.Services.AddHotDashSemanticIndex(o =>
            {
                o.MaxRows = MaxRows;
                o.WriteEveryAdds = WriteEveryAdds;
                o.WriteInterval = TimeSpan.FromMilliseconds(200);
            });
        });
        Cluster = builder.Build();
    }

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
