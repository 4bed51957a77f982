using HotDash.Analytics;
using HotDash.Analytics.Archive;
using HotDash.Analytics.DuckDb;
using HotDash.Grains.Storage;
using HotDash.Grains.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HotDash.Grains.Tests.Tracing;

/// <summary>
/// One in-process silo with the trace pipeline over real stores: the embedded DuckDB analytics store (a temp file) and
/// a folder archive (a temp dir), each behind an outage switch; memory grain storage named <c>hotdash</c>; a
/// <see cref="FakeTimeProvider"/> as the grains' clock, so flush and retry timers move only when a test advances it.
/// </summary>
public sealed class TracingClusterFixture : IAsyncLifetime
{
    public const string StorageName = "hotdash";

    public const int Shards = 4;

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotdash-tracing-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbAnalyticsStore _duckDb;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public OutageAnalyticsStore Store { get; }

    public OutageEventArchive Archive { get; }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public TracingClusterFixture()
        : this(silos: 1)
    {
    }

    /// <summary>A cluster of <paramref name="silos"/> silos sharing the stores (for tests that stop a silo).</summary>
    internal TracingClusterFixture(short silos)
    {
        _duckDb = new DuckDbAnalyticsStore(Path.Combine(_dir, "analytics.duckdb"), TimeProvider.System);
        Store = new OutageAnalyticsStore(_duckDb);
        Archive = new OutageEventArchive(new FolderEventArchive(Path.Combine(_dir, "archive")));
        var builder = new InProcessTestClusterBuilder(initialSilosCount: silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.AddMemoryGrainStorage(StorageName);
            silo.Services.AddHotDashGrainStateSerializer();
            silo.Services.AddSingleton<IAnalyticsStore>(Store);
            silo.Services.AddSingleton<IEventArchive>(Archive);
            silo.Services.AddHotDashTracingPipeline(o =>
            {
                o.FlushInterval = FlushInterval;
                o.Shards = Shards;
                o.RetryInitialBackoff = TimeSpan.FromMilliseconds(500);
                o.RetryMaxBackoff = TimeSpan.FromSeconds(2);
            });
        });
        Cluster = builder.Build();
    }

    /// <summary>The grain storage itself, to see what the writers persisted.</summary>
    public IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public async Task InitializeAsync()
    {
        await Store.MigrateAsync();
        await Archive.EnsureAsync();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _duckDb.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
