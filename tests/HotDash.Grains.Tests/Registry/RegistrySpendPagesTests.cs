using static HotDash.Grains.Registry.RegistryStateGrain;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// The embedded registry's spend ledger is stored in pages beside the snapshot: what was written survives a
/// deactivation over many pages and after the ring wraps, and a retried batch counts once across a page boundary.
/// </summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistrySpendPagesTests(RegistryClusterFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    private ISpendLedgerGrain Ledger => fixture.Grains.Ledger();

    private Task ReactivateAsync() => fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private static SpendLogQuery ByKey(KeyDefinition key) => new(key.Token, null, null, null, null, null, int.MaxValue);

    private static SpendLogQuery ById(string requestId) => new(null, null, null, requestId, null, null, int.MaxValue);

    // Rows a second apart, so that the ledger lists them newest first in the reverse of the order written.
    private SpendRow[] Rows(KeyDefinition key, int count, int from = 0)
    {
        var start = fixture.Time.GetUtcNow();
        return [.. Enumerable.Range(from, count).Select(i => SpendOf(key, 0.001m, start.AddSeconds(i)))];
    }

    [Fact]
    public async Task WriteSpend_RowsOverSeveralPages_AreAllServedWithTheirTotalsAfterReactivation()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(team.TeamId, user.UserId));
        var rows = Rows(key, 2 * SpendPageRows + 170);
        // Batches that do not divide a page: pages fill over several batches and batches end in the middle of pages.
        foreach (var batch in rows.Chunk(130))
        {
            Assert.Equal(batch.Length, await Ledger.Write([.. batch]));
        }

        await ReactivateAsync();

        var served = await Registry.GetSpendLogs(ByKey(key));
        Assert.Equal(rows.Reverse().Select(r => r.RequestId), served.Select(r => r.RequestId));
        Assert.Equal(rows[5], served[^6]);
        var total = 0.001m * rows.Length;
        var storedKey = (await Registry.GetKey(key.Token))!;
        Assert.Equal(total, storedKey.Spend);
        Assert.Equal(total, storedKey.ModelSpend["gpt-4o"]);
        Assert.Equal(total, (await Registry.GetTeam(team.TeamId))!.Spend);
        Assert.Equal(total, (await Registry.GetUser(user.UserId))!.Spend);
        var day = DateOnly.FromDateTime(rows[0].StartTime.UtcDateTime);
        var report = await Registry.GetSpendReport(new SpendReportQuery(day, day.AddDays(1), SpendGroupBy.ApiKey));
        Assert.Equal(rows.Length, report.Where(r => r.Group == key.Token).Sum(r => r.Requests));
    }

    [Fact]
    public async Task WriteSpend_MoreRowsThanKept_KeepsTheNewestAndCountsEveryRowAfterReactivation()
    {
        var key = await Registry.CreatedKey(Key());
        var dropped = 2 * SpendAtomicRows + 123;
        var rows = Rows(key, SpendLogCapacity + dropped);
        // Gateway-sized batches, then one larger than a part (stored in parts), so that the ring wraps over its own pages.
        var last = rows.Length - (SpendAtomicRows + 700);
        SpendRow[][] batches = [.. rows[..last].Chunk(1_000), rows[last..]];
        foreach (var batch in batches)
        {
            Assert.Equal(batch.Length, await Ledger.Write([.. batch]));
        }
        // The ledger keeps rows in the order it took them: batch by batch, each batch by request id.
        var taken = batches.SelectMany(b => b.OrderBy(r => r.RequestId, StringComparer.Ordinal)).ToArray();
        var kept = taken[dropped..].Select(r => r.RequestId).Order(StringComparer.Ordinal).ToArray();

        async Task NewestKeptAndEveryRowCounted()
        {
            var served = await Registry.GetSpendLogs(ByKey(key));
            Assert.Equal(kept, served.Select(r => r.RequestId).Order(StringComparer.Ordinal));
            Assert.Equal(rows[^1], served[0]);
            Assert.Empty(await Registry.GetSpendLogs(ById(taken[dropped - 1].RequestId)));
            Assert.Equal(0.001m * rows.Length, (await Registry.GetKey(key.Token))!.Spend);
        }
        await NewestKeptAndEveryRowCounted();
        await ReactivateAsync();
        await NewestKeptAndEveryRowCounted();
        // The kept rows' ids are still known: retrying them counts nothing.
        Assert.Equal(0, await Ledger.Write([.. rows[^1_000..]]));
        Assert.Equal(0, await Ledger.Write([taken[dropped]]));
        Assert.Equal(0.001m * rows.Length, (await Registry.GetKey(key.Token))!.Spend);
    }

    [Fact]
    public async Task WriteSpend_BatchAcrossAPageBoundaryRetried_CountsOnce()
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(team.TeamId, user.UserId));
        // One row more than a page holds: it cannot end in the page it starts in.
        ImmutableArray<SpendRow> batch = [.. Rows(key, SpendPageRows + 1)];

        var first = await fixture.SiloGrains(0).Ledger().Write(batch);
        var retried = await fixture.SiloGrains(1).Ledger().Write(batch);
        await ReactivateAsync();
        var retriedAfterReactivation = await Ledger.Write(batch);
        var firstAndLast = await Ledger.Write([batch[0], batch[^1]]);

        Assert.Equal(batch.Length, first);
        Assert.Equal(0, retried);
        Assert.Equal(0, retriedAfterReactivation);
        Assert.Equal(0, firstAndLast);
        var total = 0.001m * batch.Length;
        Assert.Equal(total, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(total, (await Registry.GetTeam(team.TeamId))!.Spend);
        Assert.Equal(total, (await Registry.GetUser(user.UserId))!.Spend);
        Assert.Equal(batch.Length, (await Registry.GetSpendLogs(ByKey(key))).Length);
    }
}
