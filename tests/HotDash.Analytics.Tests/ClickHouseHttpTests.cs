using HotDash.Analytics;

namespace HotDash.Analytics.Tests;

public sealed class ClickHouseHttpTests(ITestOutputHelper output)
{
    private static ReadOnlyMemory<byte> Ndjson(params object[] rows) =>
        Encoding.UTF8.GetBytes(string.Join('\n', rows.Select(r => JsonSerializer.Serialize(r))) + "\n");

    [Fact]
    public async Task InsertJsonEachRow_ObservationRows_ReadBackWithMetadataArraysAndNullablesIntact()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }
        var full = new Dictionary<string, object?>
        {
            ["id"] = "obs-1", ["trace_id"] = "trace-1", ["project_id"] = "p1", ["type"] = "GENERATION",
            ["parent_observation_id"] = "span-0", ["environment"] = "default", ["start_time"] = 1_764_590_400_000L,
            ["end_time"] = 1_764_590_401_250L, ["completion_start_time"] = 1_764_590_400_300L, ["day"] = "2025-12-01",
            ["name"] = "chat", ["level"] = "DEFAULT", ["input"] = "[{\"role\":\"user\",\"content\":\"hi\"}]", ["output"] = "hello",
            ["metadata_keys"] = new[] { "trace_user_id", "tags" }, ["metadata_values"] = new[] { "u-7", "[\"a\",\"b\"]" },
            ["provided_model_name"] = "gpt-4o-mini", ["usage_details_keys"] = new[] { "input", "output" },
            ["usage_details_values"] = new[] { 12L, 5L }, ["cost_details_keys"] = new[] { "total" }, ["cost_details_values"] = new[] { 0.000042 },
            ["total_cost"] = 0.000042, ["model_group"] = "gpt-4o-mini", ["team_id"] = "team-a", ["cache_hit"] = 1,
            ["created_at"] = 1_764_590_401_300L, ["updated_at"] = 1_764_590_401_300L, ["event_ts"] = 1_764_590_401_300L,
            ["a_field_newer_writers_send"] = "skipped",
        };
        var sparse = new Dictionary<string, object?>
        {
            ["id"] = "obs-2", ["trace_id"] = "trace-1", ["project_id"] = "p1", ["type"] = "SPAN", ["day"] = "2025-12-01",
            ["name"] = "retrieve", ["level"] = "ERROR", ["status_message"] = null, ["start_time"] = 1_764_590_400_000L,
            ["event_ts"] = 1L,
        };

        await database.ClickHouse.InsertJsonEachRowAsync("observations", Ndjson(full, sparse));

        var rows = await database.ClickHouse.QueryJsonEachRowAsync("SELECT * FROM observations ORDER BY id");
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal(["trace_user_id", "tags"], first.GetProperty("metadata_keys").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["u-7", "[\"a\",\"b\"]"], first.GetProperty("metadata_values").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([12UL, 5UL], first.GetProperty("usage_details_values").EnumerateArray().Select(e => e.GetUInt64()));
        Assert.Equal(1_764_590_401_250UL, first.GetProperty("end_time").GetUInt64());
        Assert.Equal("span-0", first.GetProperty("parent_observation_id").GetString());
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hi\"}]", first.GetProperty("input").GetString());
        // Costs are Decimal(18, 12): decimal text (exponent form included) is parsed exactly, unlike floats.
        Assert.Equal(0.000042m, first.GetProperty("total_cost").GetDecimal());
        Assert.Equal(1, first.GetProperty("cache_hit").GetInt32());
        var second = rows[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("end_time").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("status_message").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("input").ValueKind);
        Assert.Equal(0, second.GetProperty("metadata_keys").GetArrayLength());
    }

    [Fact]
    public async Task ReplacingMergeTree_SameIdTwice_ReadsOnceWithFinalAndNewestEventWins()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }
        object TraceRow(string name, long eventTs) => new { id = "trace-1", project_id = "p1", day = "2025-12-01", timestamp = 1_764_590_400_000L, name, event_ts = eventTs };

        // Newer first, then older, in separate inserts (separate parts): the order written must not decide the winner.
        await database.ClickHouse.InsertJsonEachRowAsync("traces", Ndjson(TraceRow("updated", 2000)));
        await database.ClickHouse.InsertJsonEachRowAsync("traces", Ndjson(TraceRow("original", 1000)));

        var rows = await database.ClickHouse.QueryJsonEachRowAsync("SELECT id, name, event_ts FROM traces FINAL WHERE project_id = 'p1'");
        var row = Assert.Single(rows);
        Assert.Equal("updated", row.GetProperty("name").GetString());
        Assert.Equal(2000UL, row.GetProperty("event_ts").GetUInt64());
    }

    [Fact]
    public async Task Query_UnknownTable_RaisesClickHouseExceptionWithTheServersCode()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => database.ClickHouse.QueryJsonEachRowAsync("SELECT * FROM no_such_table"));

        Assert.Equal(60, error.Code); // UNKNOWN_TABLE
        Assert.Contains("no_such_table", error.ServerMessage, StringComparison.Ordinal);
        Assert.True(error.HttpStatus >= 400, $"HTTP {error.HttpStatus}");
    }

    [Fact]
    public async Task Execute_SyntaxError_RaisesClickHouseExceptionWithSyntaxErrorCode()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => database.ClickHouse.ExecuteAsync("CREATE TABEL oops"));

        Assert.Equal(62, error.Code); // SYNTAX_ERROR
    }

    [Fact]
    public async Task Quote_HostileString_RoundTripsAsData()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }
        const string hostile = "it's \\' OR 1=1; DROP TABLE traces; --\\\\ end \\";

        var rows = await database.ClickHouse.QueryJsonEachRowAsync($"SELECT {ClickHouseSql.Quote(hostile)} AS s");

        Assert.Equal(hostile, Assert.Single(rows).GetProperty("s").GetString());
        var tables = await database.ClickHouse.QueryJsonEachRowAsync(
            $"SELECT count() AS n FROM system.tables WHERE database = {ClickHouseSql.Quote(database.ClickHouse.Database)} AND name = 'traces'");
        Assert.Equal(1, Assert.Single(tables).GetProperty("n").GetInt64());
    }

    [Fact]
    public void Quote_QuotesAndBackslashes_AreEscapedWithBackslash()
    {
        Assert.Equal(@"'a\'b\\c'", ClickHouseSql.Quote(@"a'b\c"));
    }
}
