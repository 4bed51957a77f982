using System.Collections.Concurrent;
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

    protected override async Task DisposeStoreAsync(IAnalyticsStore store)
    {
        if (_databases.TryRemove(store, out var clickHouse))
        {
            await clickHouse.DropDatabaseAsync();
        }
    }

    public void Dispose() => _http.Dispose();
}
