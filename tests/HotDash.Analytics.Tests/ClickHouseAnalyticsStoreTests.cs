using System.Collections.Concurrent;
using HotDash.Grains;
using HotDash.Analytics;

namespace HotDash.Analytics.Tests;

/// <summary>The store contract against a real ClickHouse: every test gets its own freshly migrated database, dropped after.</summary>
public sealed class ClickHouseAnalyticsStoreTests(ITestOutputHelper output) : AnalyticsStoreContract, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<IAnalyticsStore, ClickHouseHttp> _databases = new();

    protected override bool IsAvailable() => TestClickHouse.Endpoint(output) is not null;

    protected override async Task<IAnalyticsStore> CreateStoreAsync()
    {
        var endpoint = TestClickHouse.Endpoint(output) ?? throw new InvalidOperationException($"{TestClickHouse.Variable} is not set");
        var clickHouse = new ClickHouseHttp(_http, endpoint, $"hotdash_test_{Guid.NewGuid():N}");
        var store = new ClickHouseAnalyticsStore(clickHouse, TimeProvider.System);
        await store.MigrateAsync();
        _databases[store] = clickHouse;
        return store;
    }

    // A newer copy of the row with is_deleted = 1: ReplacingMergeTree keeps it, and every read's FINAL then leaves the row out.
    protected override async Task MarkDeletedAsync(IAnalyticsStore store, string table, EntityKey key)
    {
        var clickHouse = _databases[store];
        var body = table switch
        {
            "traces" => ClickHouseRowWriter.Traces([NewerTrace(Assert.Single(await store.GetTracesAsync([key])))]),
            "observations" => ClickHouseRowWriter.Observations([NewerObservation(Assert.Single(await store.GetObservationsAsync([key])))]),
            "scores" => ClickHouseRowWriter.Scores([NewerScore(Assert.Single(await store.GetScoresAsync([key])))]),
            _ => throw new ArgumentException($"no table '{table}'", nameof(table)),
        };
        var json = Encoding.UTF8.GetString(body.Span);
        Assert.Contains("\"is_deleted\":0", json);
        await clickHouse.InsertJsonEachRowAsync(table, Encoding.UTF8.GetBytes(json.Replace("\"is_deleted\":0", "\"is_deleted\":1", StringComparison.Ordinal)));

        static TraceRecord NewerTrace(TraceRecord t) => t with { EventTsMs = t.EventTsMs + 1 };
        static ObservationRecord NewerObservation(ObservationRecord o) => o with { EventTsMs = o.EventTsMs + 1 };
        static ScoreRecord NewerScore(ScoreRecord s) => s with { EventTsMs = s.EventTsMs + 1 };
    }

    protected override async Task DisposeStoreAsync(IAnalyticsStore store)
    {
        if (_databases.TryRemove(store, out var clickHouse))
        {
            await clickHouse.DropDatabaseAsync();
        }
    }

    public void Dispose() => _http.Dispose();
}
