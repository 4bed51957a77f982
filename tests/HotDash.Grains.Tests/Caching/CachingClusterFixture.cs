using HotDash.Grains.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Caching;

/// <summary>
/// Two in-process silos with the embedded cache store (each silo's bounded memory) and a <see cref="FakeTimeProvider"/>
/// as the grains' and stores' clock (grain timers included; Orleans' own loops stay on real time). Two silos so that a
/// flush has to reach a memory store on another silo.
/// </summary>
public sealed class CachingClusterFixture : IAsyncLifetime
{
    public const long MaxEntryBytes = 64 * 1024;

    public const long MemoryBytes = 4L << 20;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client (an external caller, as the gateway is).</summary>
    public IGrainFactory Grains => Cluster.Client;

    public CachingClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddHotDashCache(o =>
            {
                o.Kind = CacheStoreKind.Local;
                o.MaxEntryBytes = MaxEntryBytes;
                o.MemoryBytes = MemoryBytes;
            });
        });
        Cluster = builder.Build();
    }

    public long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The memory store of silo <paramref name="index"/>.</summary>
    public MemoryCacheStore Store(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<MemoryCacheStore>();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
