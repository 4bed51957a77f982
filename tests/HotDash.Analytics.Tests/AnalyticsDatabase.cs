using HotDash.Analytics;

namespace HotDash.Analytics.Tests;

/// <summary>A fresh, uniquely named ClickHouse database for one test, dropped when the test ends.</summary>
internal sealed class AnalyticsDatabase(HttpClient http, ClickHouseHttp clickHouse) : IAsyncDisposable
{
    public ClickHouseHttp ClickHouse { get; } = clickHouse;

    /// <summary>The database (created), or null when the test should return early (no ClickHouse outside CI).</summary>
    public static async Task<AnalyticsDatabase?> CreateAsync(ITestOutputHelper output, bool migrate = true)
    {
        var endpoint = TestClickHouse.Endpoint(output);
        if (endpoint is null)
        {
            return null;
        }
        var http = new HttpClient();
        var clickHouse = new ClickHouseHttp(http, endpoint, $"hotdash_test_{Guid.NewGuid():N}");
        var database = new AnalyticsDatabase(http, clickHouse);
        if (migrate)
        {
            await new ClickHouseMigrator(clickHouse).MigrateAsync();
        }
        else
        {
            await clickHouse.CreateDatabaseAsync();
        }
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ClickHouse.DropDatabaseAsync();
        }
        finally
        {
            http.Dispose();
        }
    }
}
