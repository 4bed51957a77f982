using HotDash.Grains.Tests.Registry;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Spend;

/// <summary>The spend ledger over the embedded registry: idempotent by request id, counted on every owner.</summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class SpendLedgerGrainTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    [Fact]
    public async Task Write_NewRows_AddsTheirSpendToTheKeyTeamAndUserPerModel()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(team.TeamId, user.UserId));
        var now = fixture.Time.GetUtcNow();

        var inserted = await fixture.Grains.Ledger().Write(
            [SpendOf(key, 0.1m, now), SpendOf(key, 0.2m, now), SpendOf(key, 0.05m, now, "gpt-4o-mini")]);

        var storedKey = await Registry.GetKey(key.Token);
        var storedTeam = await Registry.GetTeam(team.TeamId);
        var storedUser = await Registry.GetUser(user.UserId);
        Assert.Equal(3, inserted);
        Assert.Equal(0.35m, storedKey!.Spend);
        Assert.Equal(0.3m, storedKey.ModelSpend["gpt-4o"]);
        Assert.Equal(0.05m, storedKey.ModelSpend["gpt-4o-mini"]);
        Assert.Equal(0.35m, storedTeam!.Spend);
        Assert.Equal(0.3m, storedTeam.ModelSpend["gpt-4o"]);
        Assert.Equal(0.35m, storedUser!.Spend);
    }

    [Fact]
    public async Task Write_SameBatchTwice_CountsItOnce()
    {
        var key = await Registry.CreatedKey(Key());
        ImmutableArray<SpendRow> batch = [SpendOf(key, 0.1m, fixture.Time.GetUtcNow()), SpendOf(key, 0.2m, fixture.Time.GetUtcNow())];

        var first = await fixture.SiloGrains(0).Ledger().Write(batch);
        var retried = await fixture.SiloGrains(1).Ledger().Write(batch);

        Assert.Equal(2, first);
        Assert.Equal(0, retried);
        Assert.Equal(0.3m, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(2, (await Registry.GetSpendLogs(new SpendLogQuery(key.Token, null, null, null, null, null, 100))).Length);
    }

    [Fact]
    public async Task Write_RequestIdRepeatedInABatchAndAfter_CountsEachRequestOnce()
    {
        var key = await Registry.CreatedKey(Key());
        var row = SpendOf(key, 0.4m, fixture.Time.GetUtcNow());
        var another = SpendOf(key, 0.1m, fixture.Time.GetUtcNow());

        var first = await fixture.Grains.Ledger().Write([row, row]);
        var mixed = await fixture.Grains.Ledger().Write([row, another]);

        Assert.Equal(1, first);
        Assert.Equal(1, mixed);
        Assert.Equal(0.5m, (await Registry.GetKey(key.Token))!.Spend);
    }

    [Fact]
    public async Task Write_RowWithARawKeyInsteadOfItsHash_FailsAndCountsNothingOfTheBatch()
    {
        var key = await Registry.CreatedKey(Key());
        var good = SpendOf(key, 0.1m, fixture.Time.GetUtcNow());
        var bad = SpendOf(key, 0.1m, fixture.Time.GetUtcNow()) with { KeyHash = "sk-1234" };

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.Ledger().Write([good, bad]));

        Assert.Equal(0m, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(1, await fixture.Grains.Ledger().Write([good]));
    }

    [Fact]
    public async Task GetSpendLogs_ByKeyAndTimeRange_ReturnsMatchingRowsNewestFirst()
    {
        var key = await Registry.CreatedKey(Key());
        var start = fixture.Time.GetUtcNow();
        var rows = Enumerable.Range(0, 4).Select(i => SpendOf(key, 0.01m * (i + 1), start.AddMinutes(i))).ToArray();
        await fixture.Grains.Ledger().Write([.. rows, SpendOf(Key(), 1m, start)]);

        var all = await Registry.GetSpendLogs(new SpendLogQuery(key.Token, null, null, null, null, null, 100));
        var window = await Registry.GetSpendLogs(new SpendLogQuery(key.Token, null, null, null, start.AddMinutes(1), start.AddMinutes(3), 100));
        var limited = await Registry.GetSpendLogs(new SpendLogQuery(key.Token, null, null, null, null, null, 1));
        var byId = await Registry.GetSpendLogs(new SpendLogQuery(null, null, null, rows[2].RequestId, null, null, 100));

        Assert.Equal(rows.Reverse().Select(r => r.RequestId), all.Select(r => r.RequestId));
        Assert.Equal([rows[2].RequestId, rows[1].RequestId], window.Select(r => r.RequestId));
        Assert.Equal([rows[3].RequestId], limited.Select(r => r.RequestId));
        Assert.Equal(rows[2], Assert.Single(byId));
    }

    [Fact]
    public async Task GetSpendReport_ByTeam_SumsPerDayAndModel()
    {
        var team = await Registry.CreatedTeam();
        var key = await Registry.CreatedKey(Key(team.TeamId));
        var day = new DateTimeOffset(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await fixture.Grains.Ledger().Write(
            [SpendOf(key, 0.1m, day), SpendOf(key, 0.2m, day.AddHours(1)), SpendOf(key, 0.5m, day, "gpt-4o-mini"), SpendOf(key, 0.7m, day.AddDays(1))]);

        var report = await Registry.GetSpendReport(new SpendReportQuery(DateOnly.FromDateTime(day.UtcDateTime), DateOnly.FromDateTime(day.UtcDateTime), SpendGroupBy.Team));
        var mine = report.Where(r => r.Group == team.TeamId).ToArray();

        Assert.Equal(2, mine.Length);
        var gpt4o = Assert.Single(mine, r => r.Model == "gpt-4o");
        Assert.Equal(0.3m, gpt4o.Spend);
        Assert.Equal(2, gpt4o.Requests);
        Assert.Equal(20, gpt4o.PromptTokens);
        Assert.Equal(10, gpt4o.CompletionTokens);
        Assert.Equal(0.5m, Assert.Single(mine, r => r.Model == "gpt-4o-mini").Spend);
    }

    [Fact]
    public async Task GetSpendReport_ByApiKey_GroupsByTheKeysHash()
    {
        var key = await Registry.CreatedKey(Key());
        var day = new DateTimeOffset(2030, 4, 1, 0, 0, 0, TimeSpan.Zero);
        await fixture.Grains.Ledger().Write([SpendOf(key, 0.1m, day), SpendOf(key, 0.1m, day)]);

        var report = await Registry.GetSpendReport(new SpendReportQuery(DateOnly.FromDateTime(day.UtcDateTime), DateOnly.FromDateTime(day.UtcDateTime), SpendGroupBy.ApiKey));

        var row = Assert.Single(report, r => r.Group == key.Token);
        Assert.Equal(0.2m, row.Spend);
        Assert.Equal(2, row.Requests);
    }
}
