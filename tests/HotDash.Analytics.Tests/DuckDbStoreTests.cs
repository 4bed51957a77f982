using System.Collections.Immutable;
using DuckDB.NET.Data;
using HotDash.Analytics.DuckDb;
using HotDash.Grains;

namespace HotDash.Analytics.Tests;

/// <summary>What only the embedded store has: a file that outlives the process, <c>:memory:</c>, concurrent callers.</summary>
public sealed class DuckDbStoreTests : IDisposable
{
    private const string Project = "p1";

    private static readonly long Jan15 = new DateTimeOffset(2025, 1, 15, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly string folder = Path.Combine(Path.GetTempPath(), "hotdash-duckdb-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task FileStore_Reopened_KeepsRowsAndSchema()
    {
        var path = Path.Combine(folder, "nested", "analytics.duckdb");
        using (var store = new DuckDbAnalyticsStore(path, TimeProvider.System))
        {
            await store.MigrateAsync();
            await store.WriteAsync(new AnalyticsRows([Trace("t1", 1)], [Observation("o1", "t1", 1, 0.000123456789m)], [Score("s1", "t1", 1)]));
        }
        Assert.True(File.Exists(path));

        using (var reopened = new DuckDbAnalyticsStore(path, TimeProvider.System))
        {
            await reopened.MigrateAsync();
            var detail = await reopened.GetTraceAsync(Project, "t1");
            Assert.NotNull(detail);
            Assert.Equal("o1", Assert.Single(detail.Observations).Id);
            Assert.Equal(0.000123456789m, detail.Summary.TotalCost);
            Assert.Equal("s1", Assert.Single(detail.Scores).Id);
        }

        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM schema_migrations";
        Assert.Equal((long)DuckDbSchema.All.Count, Convert.ToInt64(command.ExecuteScalar()));
    }

    [Fact]
    public async Task InMemoryStore_ParallelReaders_SeeOneDatabase()
    {
        using var store = await InMemoryAsync();
        await store.WriteAsync(new AnalyticsRows([Trace("t1", 1), Trace("t2", 1)], [], []));

        // Every parallel read runs on its own pooled connection; all must see the same in-memory database.
        var pages = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => store.QueryTracesAsync(new TraceQuery(Project, 1, 10))));

        Assert.All(pages, p => Assert.Equal(2, p.TotalItems));
    }

    [Fact]
    public async Task InMemoryStores_Two_AreSeparate()
    {
        using var first = await InMemoryAsync();
        using var second = await InMemoryAsync();
        await first.WriteAsync(new AnalyticsRows([Trace("t1", 1)], [], []));

        Assert.Equal(1, (await first.QueryTracesAsync(new TraceQuery(Project, 1, 10))).TotalItems);
        Assert.Equal(0, (await second.QueryTracesAsync(new TraceQuery(Project, 1, 10))).TotalItems);
    }

    [Fact]
    public async Task EightParallelWriters_OverlappingRows_EachRowOnceNewestWins()
    {
        using var store = new DuckDbAnalyticsStore(Path.Combine(folder, "parallel.duckdb"), TimeProvider.System);
        await store.MigrateAsync();
        const int Writers = 8;
        const int Batches = 10;

        // Every writer writes the same 50 traces (a replayed batch) with its own event_ts, plus rows of its own,
        // while readers page through the table.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var version = (w * Batches) + b + 1;
                var shared = Enumerable.Range(0, 50).Select(i => Trace($"shared-{i}", version));
                var own = Enumerable.Range(0, 5).Select(i => Trace($"w{w}-b{b}-{i}", 1));
                var observations = Enumerable.Range(0, 5).Select(i => Observation($"o-w{w}-b{b}-{i}", $"shared-{i}", version, 0.001m));
                await store.WriteAsync(new AnalyticsRows([.. shared, .. own], [.. observations], []));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var page = await store.QueryTracesAsync(new TraceQuery(Project, 1, 20));
                Assert.True(page.TotalItems <= 50 + (Writers * Batches * 5));
            }
        }));
        await Task.WhenAll([.. writers, .. readers]);

        var all = await store.QueryTracesAsync(new TraceQuery(Project, 1, 10_000));
        Assert.Equal(50 + (Writers * Batches * 5), all.TotalItems);
        Assert.Equal(all.Items.Length, all.Items.Select(s => s.Trace.Id).Distinct().Count());
        var shared0 = Assert.Single(await store.GetTracesAsync([new EntityKey(Project, "shared-0")]));
        Assert.Equal(Writers * Batches, shared0.EventTsMs);
        Assert.Equal(Writers * Batches * 5, (await store.QueryObservationsAsync(new ObservationQuery(Project, 1, 1))).TotalItems);
    }

    [Fact]
    public async Task Write_SameIdTwiceInOneBatch_KeepsNewest()
    {
        using var store = await InMemoryAsync();

        await store.WriteAsync(new AnalyticsRows([Trace("t1", 5) with { Name = "new" }, Trace("t1", 3) with { Name = "old" }], [], []));
        await store.WriteAsync(new AnalyticsRows([Trace("t1", 4) with { Name = "older" }], [], []));

        var trace = Assert.Single(await store.GetTracesAsync([new EntityKey(Project, "t1")]));
        Assert.Equal("new", trace.Name);
        Assert.Equal(5, trace.EventTsMs);
    }

    [Fact]
    public async Task Write_RowMissingItsTimestamp_IsRefused()
    {
        using var store = await InMemoryAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(new AnalyticsRows([Trace("t0", 1), Trace("t1", 1) with { TimestampMs = null }], [], [])));

        // The refused batch left nothing behind (not even its valid rows), and the store still writes.
        await store.WriteAsync(new AnalyticsRows([Trace("t2", 1)], [], []));
        Assert.Equal(["t2"], (await store.QueryTracesAsync(new TraceQuery(Project, 1, 10))).Items.Select(s => s.Trace.Id));
    }

    [Fact]
    public async Task Migrate_FileNotADatabase_ThrowsDuckDbException()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "garbage.duckdb");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0x5a, 8192).ToArray());
        using var store = new DuckDbAnalyticsStore(path, TimeProvider.System);

        await Assert.ThrowsAnyAsync<DuckDBException>(() => store.MigrateAsync());
        await Assert.ThrowsAnyAsync<DuckDBException>(() => store.PingAsync());
    }

    [Fact]
    public async Task DisposedStore_Called_ThrowsObjectDisposed()
    {
        var store = await InMemoryAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.PingAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync(new AnalyticsRows([Trace("t1", 1)], [], [])));
    }

    [Fact]
    public void Kind_IsDuckDb() => Assert.Equal("duckdb", new DuckDbAnalyticsStore(DuckDbAnalyticsStore.InMemory, TimeProvider.System).Kind);

    private static async Task<DuckDbAnalyticsStore> InMemoryAsync()
    {
        var store = new DuckDbAnalyticsStore(DuckDbAnalyticsStore.InMemory, TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    private static TraceRecord Trace(string id, long eventTs) => new(id)
    {
        ProjectId = Project,
        TimestampMs = Jan15,
        Name = "chat",
        CreatedAtMs = Jan15,
        UpdatedAtMs = Jan15,
        EventTsMs = eventTs,
    };

    private static ObservationRecord Observation(string id, string traceId, long eventTs, decimal cost) => new(id)
    {
        ProjectId = Project,
        TraceId = traceId,
        Type = "GENERATION",
        StartTimeMs = Jan15,
        EndTimeMs = Jan15 + 1500,
        Model = "gpt-4o",
        UsageDetails = ImmutableDictionary<string, long>.Empty.Add(UsageKeys.Input, 10).Add(UsageKeys.Output, 5),
        TotalCost = cost,
        CreatedAtMs = Jan15,
        UpdatedAtMs = Jan15,
        EventTsMs = eventTs,
    };

    private static ScoreRecord Score(string id, string traceId, long eventTs) => new(id)
    {
        ProjectId = Project,
        TraceId = traceId,
        TimestampMs = Jan15,
        Name = "quality",
        Value = 0.5,
        DataType = "NUMERIC",
        Source = "API",
        CreatedAtMs = Jan15,
        UpdatedAtMs = Jan15,
        EventTsMs = eventTs,
    };
}
