namespace HotDash.Registry.Tests;

/// <summary>The spend ledger through the PostgreSQL registry: writes, <c>/spend/logs</c> queries and <c>/global/spend/report</c>.</summary>
public sealed class PostgresRegistryStoreSpendTests(ITestOutputHelper output) : RegistryStoreTestBase(output)
{
    private static readonly string KeyA = Hash("sk-spend-a");
    private static readonly string KeyB = Hash("sk-spend-b");
    private static readonly DateOnly Day1 = DateOnly.FromDateTime(Start.UtcDateTime);

    private static readonly SpendRow R1 = Row("r1", KeyA, "team-a", "u1", "cust-1", 0.01m, Start) with
    {
        Metadata = """{"trace_id": "t1"}""",
    };

    private static readonly SpendRow R2 = Row("r2", KeyA, "team-a", "u1", "cust-2", 0.02m, Start.AddHours(1)) with { Success = false, CacheHit = true };
    private static readonly SpendRow R3 = Row("r3", KeyB, "team-b", null, "cust-1", 0.04m, Start.AddHours(2));
    private static readonly SpendRow R4 = Row("r4", KeyA, "team-a", "u1", null, 0.08m, Start.AddDays(1));

    // The master key: no key hash, team or user; no model group either, so it counts under its model.
    private static readonly SpendRow R5 = new SpendRow("r5", "", "mock-chat", 0.16m, Start.AddHours(3), Start.AddHours(3)) { PromptTokens = 1, CompletionTokens = 1 };

    [Fact]
    public async Task WriteSpendAsync_BatchWrittenTwice_CountsOnlyTheNewRows()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        var first = await store.WriteSpendAsync([R1, R2]);
        var second = await store.WriteSpendAsync([R2, R3]);

        Assert.Equal((2, 1), (first, second));
        Assert.Equal(3, await CountAsync("spend_logs"));
    }

    [Fact]
    public async Task GetSpendLogsAsync_ByRequestId_ReturnsTheRowWithEveryField()
    {
        var store = await WrittenAsync();
        if (store is null)
        {
            return;
        }

        var one = await store.GetSpendLogsAsync(new SpendLogQuery(null, null, null, "r1", null, null, 10));
        var two = await store.GetSpendLogsAsync(new SpendLogQuery(null, null, null, "r2", null, null, 10));

        Assert.Equal([R1], one.ToArray());
        // A row written without metadata reads back as the empty object the ledger stores.
        Assert.Equal([R2 with { Metadata = "{}" }], two.ToArray());
    }

    [Theory]
    [InlineData("key-a", "r4,r2,r1")]
    [InlineData("key-a-limit-2", "r4,r2")]
    [InlineData("team-b", "r3")]
    [InlineData("user-u1", "r4,r2,r1")]
    [InlineData("window", "r5,r3,r2")]
    [InlineData("key-a-in-window", "r2")]
    [InlineData("nothing", "")]
    public async Task GetSpendLogsAsync_Filters_ReturnMatchingRowsNewestFirst(string filter, string expected)
    {
        var store = await WrittenAsync();
        if (store is null)
        {
            return;
        }
        // The window starts at r2 (inclusive) and ends at r4 (exclusive).
        var query = filter switch
        {
            "key-a" => new SpendLogQuery(KeyA, null, null, null, null, null, 100),
            "key-a-limit-2" => new SpendLogQuery(KeyA, null, null, null, null, null, 2),
            "team-b" => new SpendLogQuery(null, "team-b", null, null, null, null, 100),
            "user-u1" => new SpendLogQuery(null, null, "u1", null, null, null, 100),
            "window" => new SpendLogQuery(null, null, null, null, R2.StartTime, R4.StartTime, 100),
            "key-a-in-window" => new SpendLogQuery(KeyA, null, null, null, R2.StartTime, R4.StartTime, 100),
            _ => new SpendLogQuery(KeyB, "team-a", null, null, null, null, 100),
        };

        var rows = await store.GetSpendLogsAsync(query);

        Assert.Equal(expected, string.Join(",", rows.Select(r => r.RequestId)));
    }

    [Theory]
    [InlineData(SpendGroupBy.Team, "2025-03-01||mock-chat|0.16|1|1|1", "2025-03-01|team-a|gpt-4o|0.03|200|40|2", "2025-03-01|team-b|gpt-4o|0.04|100|20|1")]
    [InlineData(SpendGroupBy.User, "2025-03-01||gpt-4o|0.04|100|20|1", "2025-03-01||mock-chat|0.16|1|1|1", "2025-03-01|u1|gpt-4o|0.03|200|40|2")]
    [InlineData(SpendGroupBy.Customer, "2025-03-01||mock-chat|0.16|1|1|1", "2025-03-01|cust-1|gpt-4o|0.05|200|40|2", "2025-03-01|cust-2|gpt-4o|0.02|100|20|1")]
    public async Task GetSpendReportAsync_OneDay_SumsPerGroupAndPublicModel(string groupBy, params string[] expected)
    {
        var store = await WrittenAsync();
        if (store is null)
        {
            return;
        }

        var rows = await store.GetSpendReportAsync(new SpendReportQuery(Day1, Day1, groupBy));

        Assert.Equal(expected, rows.Select(Line));
    }

    [Fact]
    public async Task GetSpendReportAsync_ByKeyOverTwoDays_HasARowPerDay()
    {
        var store = await WrittenAsync();
        if (store is null)
        {
            return;
        }

        var rows = await store.GetSpendReportAsync(new SpendReportQuery(Day1, Day1.AddDays(1), SpendGroupBy.ApiKey));
        var later = await store.GetSpendReportAsync(new SpendReportQuery(Day1.AddDays(2), Day1.AddDays(9), SpendGroupBy.ApiKey));

        Assert.Equal(
        [
            "2025-03-01||mock-chat|0.16|1|1|1",
            // Hashes in byte order: KeyA's (3daa...) before KeyB's (dd5a...).
            $"2025-03-01|{KeyA}|gpt-4o|0.03|200|40|2",
            $"2025-03-01|{KeyB}|gpt-4o|0.04|100|20|1",
            $"2025-03-02|{KeyA}|gpt-4o|0.08|100|20|1",
        ], rows.Select(Line));
        Assert.Empty(later);
    }

    [Fact]
    public async Task GetSpendReportAsync_UnknownGrouping_Throws()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetSpendReportAsync(new SpendReportQuery(Day1, Day1, "model")));
    }

    [Fact]
    public async Task GetKeyTeamAndUser_AfterLedgerWrites_CarryTheLedgerSpend()
    {
        var store = await StoreAsync();
        if (store is null)
        {
            return;
        }
        await store.CreateTeamAsync(new TeamDefinition("team-a") { Members = [new TeamMember("u1", null, "user")] }, Admin);
        await store.CreateKeyAsync(new KeyDefinition(KeyA) { TeamId = "team-a", UserId = "u1" }, Admin);

        await store.WriteSpendAsync([R1, R2, R4]);

        Assert.Equal(0.11m, (await store.GetKeyAsync(KeyA))!.Spend);
        Assert.Equal(0.11m, (await store.GetKeyAsync(KeyA))!.ModelSpend["gpt-4o"]);
        Assert.Equal(0.11m, (await store.GetTeamAsync("team-a"))!.Spend);
        Assert.Equal(0.11m, (await store.GetUserAsync("u1"))!.Spend);
    }

    private async Task<PostgresRegistryStore?> WrittenAsync()
    {
        var store = await StoreAsync();
        if (store is not null)
        {
            Assert.Equal(5, await store.WriteSpendAsync([R3, R1, R5, R4, R2]));
        }
        return store;
    }

    private static SpendRow Row(string id, string key, string? team, string? user, string? endUser, decimal spend, DateTimeOffset start) =>
        new(id, key, "gpt-4o-2024-08-06", spend, start, start.AddSeconds(2))
        {
            TeamId = team,
            UserId = user,
            EndUser = endUser,
            ModelGroup = "gpt-4o",
            DeploymentId = "azure-east",
            CallType = "acompletion",
            PromptTokens = 100,
            CompletionTokens = 20,
        };

    private static string Line(SpendReportRow r) =>
        $"{r.Day:yyyy-MM-dd}|{r.Group}|{r.Model}|{r.Spend.ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture)}|{r.PromptTokens}|{r.CompletionTokens}|{r.Requests}";
}
