using System.Collections.Immutable;
using HotDash.Analytics;
using HotDash.Grains;

namespace HotDash.Analytics.Tests;

/// <summary>What only the ClickHouse store has: its migrations, monthly partitions, FINAL deduplication of physically
/// duplicated rows, and how values sit in the columns (exact decimals, score value bits, UTF-8 text).</summary>
public sealed class ClickHouseStoreSchemaTests(ITestOutputHelper output)
{
    private static readonly long T0 = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static long Ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millisecond = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static TraceRecord Trace(string id, long timestamp, long eventTs = 1) =>
        new(id) { ProjectId = "p", TimestampMs = timestamp, CreatedAtMs = eventTs, UpdatedAtMs = eventTs, EventTsMs = eventTs };

    private static ObservationRecord Observation(string id, string traceId, long start) =>
        new(id) { ProjectId = "p", TraceId = traceId, Type = "GENERATION", StartTimeMs = start, CreatedAtMs = 1, UpdatedAtMs = 1, EventTsMs = 1 };

    private static ScoreRecord Score(string id, long timestamp) =>
        new(id) { ProjectId = "p", TraceId = "t1", Name = "n", TimestampMs = timestamp, CreatedAtMs = 1, UpdatedAtMs = 1, EventTsMs = 1 };

    private static async Task<long> ScalarAsync(ClickHouseHttp clickHouse, string sql) =>
        Assert.Single(await clickHouse.QueryJsonEachRowAsync(sql)).GetProperty("n").GetInt64();

    private async Task<(AnalyticsDatabase Database, ClickHouseAnalyticsStore Store)?> StoreAsync()
    {
        var database = await AnalyticsDatabase.CreateAsync(output, migrate: false);
        if (database is null)
        {
            return null;
        }
        var store = new ClickHouseAnalyticsStore(database.ClickHouse, TimeProvider.System);
        await store.MigrateAsync();
        return (database, store);
    }

    [Fact]
    public async Task Migrate_ThreeTimes_CreatesTablesOnceAndRecordsVersionOneOnce()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;

        await store.MigrateAsync();
        await store.MigrateAsync();

        Assert.Equal(1, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM schema_migrations"));
        var tables = await database.ClickHouse.QueryJsonEachRowAsync(
            $"SELECT name, engine FROM system.tables WHERE database = {ClickHouseSql.Quote(database.ClickHouse.Database)} AND name != 'schema_migrations' ORDER BY name");
        Assert.Equal([("observations", "ReplacingMergeTree"), ("scores", "ReplacingMergeTree"), ("traces", "ReplacingMergeTree")],
            tables.Select(t => (t.GetProperty("name").GetString(), t.GetProperty("engine").GetString())));
    }

    [Fact]
    public async Task Write_RowsInThreeMonths_OnePartitionPerMonthPerTable()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;

        await store.WriteAsync(new AnalyticsRows(
            [Trace("t1", Ms(2025, 1, 31, 23, 59, 59, 999)), Trace("t2", Ms(2025, 2, 1)), Trace("t3", Ms(2025, 3, 5))],
            [Observation("o1", "t1", Ms(2025, 2, 1, 0, 0, 0, 1))],
            [Score("s1", Ms(2024, 12, 31, 23))]));

        Assert.Equal(["observations:202502", "scores:202412", "traces:202501", "traces:202502", "traces:202503"], await PartitionsAsync(database.ClickHouse));
        var days = await database.ClickHouse.QueryJsonEachRowAsync("SELECT id, toString(day) AS d FROM traces ORDER BY id");
        Assert.Equal(["2025-01-31", "2025-02-01", "2025-03-05"], days.Select(d => d.GetProperty("d").GetString()));
    }

    [Fact]
    public async Task DropMonthsBefore_OldPartitions_AreGoneFromSystemPartsAndNewerStay()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        await store.WriteAsync(new AnalyticsRows(
            [Trace("t1", Ms(2025, 1, 10)), Trace("t2", Ms(2025, 3, 10))],
            [Observation("o1", "t1", Ms(2025, 1, 10)), Observation("o2", "t2", Ms(2025, 2, 10))],
            [Score("s1", Ms(2025, 3, 1))]));

        var dropped = await store.DropMonthsBeforeAsync(new DateOnly(2025, 3, 1));

        Assert.Equal([202501, 202502], dropped);
        Assert.Equal(["scores:202503", "traces:202503"], await PartitionsAsync(database.ClickHouse));
        Assert.Equal(1, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM traces"));
        Assert.Equal(0, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM observations"));
    }

    [Fact]
    public async Task Write_SameBatchTwice_StoredTwiceUntilMergedButFinalCountsOnce()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        var rows = new AnalyticsRows([Trace("t1", T0, eventTs: 5) with { Name = "first" }], [Observation("o1", "t1", T0)], [Score("s1", T0)]);

        await store.WriteAsync(rows);
        await store.WriteAsync(rows);
        await store.WriteAsync(new AnalyticsRows([Trace("t1", T0, eventTs: 3) with { Name = "stale" }], [], []));

        // The physical rows are all there (separate parts, not merged yet): only FINAL makes them one.
        Assert.Equal(3, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM traces"));
        Assert.Equal(2, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM observations"));
        var page = await store.QueryTracesAsync(new TraceQuery("p", 1, 10));
        Assert.Equal(1, page.TotalItems);
        var summary = Assert.Single(page.Items);
        Assert.Equal("first", summary.Trace.Name);
        Assert.Equal(["o1"], summary.ObservationIds.AsEnumerable());
        Assert.Equal(["s1"], summary.ScoreIds.AsEnumerable());
        Assert.Equal(1, (await store.QueryObservationsAsync(new ObservationQuery("p", 1, 10))).TotalItems);
        Assert.Equal(1, (await store.QueryScoresAsync(new ScoreQuery("p", 1, 10))).TotalItems);

        await database.ClickHouse.ExecuteAsync("OPTIMIZE TABLE traces FINAL");

        Assert.Equal(1, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM traces"));
        Assert.Equal("first", Assert.Single(await store.GetTracesAsync([new("p", "t1")])).Name);
    }

    [Fact]
    public async Task Write_Decimals_StoredAsExactDecimalTextRoundedToTwelvePlaces()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        var observation = Observation("o1", "t1", T0) with
        {
            TotalCost = 0.000123456789m,
            CostDetails = ImmutableDictionary<string, decimal>.Empty.Add("input", 0.0000001234567891234m).Add("output", 999999.999999999999m),
        };

        await store.WriteAsync(new AnalyticsRows([], [observation], []));

        var row = Assert.Single(await database.ClickHouse.QueryJsonEachRowAsync(
            "SELECT toString(total_cost) AS total, arrayMap(x -> toString(x), cost_details_values) AS details, toTypeName(total_cost) AS type FROM observations"));
        Assert.Equal("0.000123456789", row.GetProperty("total").GetString());
        Assert.Equal(["0.000000123457", "999999.999999999999"], row.GetProperty("details").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Nullable(Decimal(18, 12))", row.GetProperty("type").GetString());
        var read = Assert.Single(await store.GetObservationsAsync([new("p", "o1")]));
        Assert.Equal(0.000000123457m, read.CostDetails!["input"]);
    }

    [Fact]
    public async Task Write_CostBeyondDecimal18_12_RefusesTheBatchWritingNothing()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        var rows = new AnalyticsRows([Trace("t1", T0)], [Observation("o1", "t1", T0) with { TotalCost = 1_000_000m }], []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(rows));

        Assert.Contains("o1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM traces"));
    }

    [Fact]
    public async Task Write_RowWithoutItsTimestamp_RefusesTheBatchWritingNothing()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        var rows = new AnalyticsRows([Trace("t1", T0), Trace("t2", T0) with { TimestampMs = null }], [], []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(rows));

        Assert.Contains("t2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(database.ClickHouse, "SELECT count() AS n FROM traces"));
    }

    [Fact]
    public async Task Write_UnicodeText_StoredAsUtf8BytesAndReadBackIdentical()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        const string text = "naïve 日本 🚀 \"q\" 'a' \\ \n\t\u0001 end";
        var input = JsonSerializer.Serialize(new { text });
        await store.WriteAsync(new AnalyticsRows([Trace("t1", T0) with { Name = text, Input = input }], [], []));

        var row = Assert.Single(await database.ClickHouse.QueryJsonEachRowAsync("SELECT hex(assumeNotNull(name)) AS h FROM traces"));
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(text)), row.GetProperty("h").GetString());
        var read = Assert.Single(await store.GetTracesAsync([new("p", "t1")]));
        Assert.Equal(text, read.Name);
        Assert.Equal(input, read.Input);
        Assert.Equal(text, JsonDocument.Parse(read.Input!).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Write_ScoreValue_ValueColumnHoldsTheExactDoubleForSql()
    {
        var created = await StoreAsync();
        if (created is null)
        {
            return;
        }
        var (database, store) = created.Value;
        await using var _ = database;
        // JSON text that 18.16's float parser reads one ulp off; the value column is built from the bits instead.
        const double value = 1.3436424411240123e-05;
        await store.WriteAsync(new AnalyticsRows([], [], [Score("s1", T0) with { Value = value }, Score("s2", T0)]));

        var rows = await database.ClickHouse.QueryJsonEachRowAsync("SELECT id, value FROM scores ORDER BY id");

        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(rows[0].GetProperty("value").GetDouble()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Ping_NothingListening_ThrowsHttpRequestException()
    {
        if (TestClickHouse.Endpoint(output) is null)
        {
            return;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var store = new ClickHouseAnalyticsStore(new ClickHouseHttp(http, new Uri($"http://127.0.0.1:{FreePorts.Next()}/"), "nowhere"), TimeProvider.System);

        await Assert.ThrowsAsync<HttpRequestException>(() => store.PingAsync());
        await Assert.ThrowsAsync<HttpRequestException>(() => store.WriteAsync(new AnalyticsRows([Trace("t1", T0)], [], [])));
    }

    [Fact]
    public async Task Query_DatabaseNotMigrated_ThrowsClickHouseException()
    {
        var database = await AnalyticsDatabase.CreateAsync(output, migrate: false);
        if (database is null)
        {
            return;
        }
        await using var _ = database;
        var store = new ClickHouseAnalyticsStore(database.ClickHouse, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => store.QueryTracesAsync(new TraceQuery("p", 1, 10)));

        Assert.Equal(60, error.Code); // UNKNOWN_TABLE
    }

    private static async Task<IEnumerable<string>> PartitionsAsync(ClickHouseHttp clickHouse)
    {
        var parts = await clickHouse.QueryJsonEachRowAsync(
            $"SELECT DISTINCT table, partition FROM system.parts WHERE database = {ClickHouseSql.Quote(clickHouse.Database)} AND active AND table != 'schema_migrations' ORDER BY table, partition");
        return parts.Select(p => $"{p.GetProperty("table").GetString()}:{p.GetProperty("partition").GetString()}");
    }
}
