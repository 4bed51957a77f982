using HotDash.Analytics.DuckDb;

namespace HotDash.Analytics.Tests;

/// <summary>The store contract against the embedded DuckDB store: every test gets its own in-memory database.</summary>
public sealed class DuckDbAnalyticsStoreTests : AnalyticsStoreContract
{
    protected override async Task<IAnalyticsStore> CreateStoreAsync()
    {
        var store = new DuckDbAnalyticsStore(DuckDbAnalyticsStore.InMemory, TimeProvider.System);
        await store.MigrateAsync();
        return store;
    }

    protected override Task MarkDeletedAsync(IAnalyticsStore store, string table, EntityKey key) =>
        ((DuckDbAnalyticsStore)store).MarkDeletedAsync(table, key);

    protected override Task DisposeStoreAsync(IAnalyticsStore store)
    {
        ((DuckDbAnalyticsStore)store).Dispose();
        return Task.CompletedTask;
    }
}
