using HotDash.Analytics;
using HotDash.Analytics.Archive;
using HotDash.Analytics.DuckDb;
using HotDash.Grains.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace HotDash.Testing;

/// <summary>
/// The trace pipeline for a <see cref="TestSilo"/>, on the embedded stores the silo uses without ClickHouse and S3: a
/// DuckDB file and a folder archive in a fresh temporary folder (migrated before the silo starts), the aggregator,
/// writer and rollup grains' options with a short flush interval. Pass <see cref="Configure"/> (or call it from the
/// silo's <c>configure</c>); dispose after the silo.
/// </summary>
public sealed class TestTracing : IAsyncDisposable
{
    private TestTracing(string folder, DuckDbAnalyticsStore store, FolderEventArchive archive)
    {
        Folder = folder;
        Store = store;
        Archive = archive;
    }

    /// <summary>The temporary folder holding the DuckDB file and the archive.</summary>
    public string Folder { get; }

    public DuckDbAnalyticsStore Store { get; }

    public FolderEventArchive Archive { get; }

    /// <summary>Creates the folder, the migrated store and the archive.</summary>
    public static async Task<TestTracing> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hotdash-tracing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = new DuckDbAnalyticsStore(Path.Combine(folder, "analytics.duckdb"), TimeProvider.System);
        await store.MigrateAsync();
        var archive = new FolderEventArchive(Path.Combine(folder, "archive"));
        await archive.EnsureAsync();
        return new TestTracing(folder, store, archive);
    }

    /// <summary>Adds the store, the archive and the pipeline's options (flush every 100 ms unless <paramref name="options"/> says otherwise).</summary>
    public void Configure(ISiloBuilder silo, Action<TracingPipelineOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<IAnalyticsStore>(Store);
        silo.Services.AddSingleton<IEventArchive>(Archive);
        silo.Services.AddHotDashTracingPipeline(o =>
        {
            o.FlushInterval = TimeSpan.FromMilliseconds(100);
            options?.Invoke(o);
        });
    }

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is left for the OS to clean.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
