using HotDash.Grains.Registry;
using static HotDash.Grains.Registry.RegistryStateGrain;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// The embedded registry over storage that fails on demand: a spend batch that cannot be stored leaves the registry as it
/// was, in memory and in storage; a snapshot written before the ledger pages still loads, its rows moved into pages.
/// </summary>
[Collection(RegistryStorageCollection.Name)]
public sealed class RegistryStorageTests(RegistryStorageFixture fixture)
{
    private IRegistryGrain Registry => fixture.Grains.Registry();

    private ISpendLedgerGrain Ledger => fixture.Grains.Ledger();

    private static SpendLogQuery ByKey(KeyDefinition key) => new(key.Token, null, null, null, null, null, int.MaxValue);

    private SpendRow[] Rows(KeyDefinition key, int count, int from = 0)
    {
        var start = fixture.Time.GetUtcNow();
        return [.. Enumerable.Range(from, count).Select(i => SpendOf(key, 0.001m, start.AddSeconds(i)))];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteSpend_StorageFailsMidBatch_LeavesTheRegistryAsItWas(bool snapshotFails)
    {
        var user = await Registry.CreatedUser();
        var team = await Registry.CreatedTeam(Team(Member(user.UserId)));
        var key = await Registry.CreatedKey(Key(team.TeamId, user.UserId));
        var before = Rows(key, 150);
        Assert.Equal(before.Length, await Ledger.Write([.. before]));
        // Enough rows to fill the current page and start the next one, or two.
        ImmutableArray<SpendRow> batch = [.. Rows(key, SpendPageRows + 130, from: before.Length)];
        // The snapshot: the batch's pages are stored but nothing commits them. A page: some pages may be stored, not all.
        Func<string, bool> failing = snapshotFails ? name => name == "registry" : name => name.StartsWith("registry-spend-", StringComparison.Ordinal);

        async Task AsItWas()
        {
            Assert.Equal(0.001m * before.Length, (await Registry.GetKey(key.Token))!.Spend);
            Assert.Equal(0.001m * before.Length, (await Registry.GetTeam(team.TeamId))!.Spend);
            Assert.Equal(0.001m * before.Length, (await Registry.GetUser(user.UserId))!.Spend);
            Assert.Equal(before.Reverse().Select(r => r.RequestId), (await Registry.GetSpendLogs(ByKey(key))).Select(r => r.RequestId));
        }

        fixture.Storage.FailNextWrite(failing);
        await Assert.ThrowsAnyAsync<Exception>(() => Ledger.Write(batch));
        Assert.False(fixture.Storage.Armed);
        await AsItWas();
        // Storage holds only what was committed, whatever pages the failed batch left behind.
        await fixture.DeactivateAsync();
        await AsItWas();

        fixture.Storage.FailNextWrite(failing);
        await Assert.ThrowsAnyAsync<Exception>(() => Ledger.Write(batch));
        await AsItWas();
        // The gateway's retry, in the same activation, counts the batch once.
        Assert.Equal(batch.Length, await Ledger.Write(batch));
        Assert.Equal(0, await Ledger.Write(batch));
        await fixture.DeactivateAsync();

        var total = 0.001m * (before.Length + batch.Length);
        Assert.Equal(total, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(total, (await Registry.GetUser(user.UserId))!.Spend);
        Assert.Equal<SpendRow>([.. before, .. batch], (await Registry.GetSpendLogs(ByKey(key))).Reverse());
        Assert.Equal(0, await Ledger.Write(batch));
    }

    [Fact]
    public async Task RegistryStateGrain_SnapshotWithTheLedgerInIt_ServesItsRowsAndMovesThemIntoPages()
    {
        var now = fixture.Time.GetUtcNow();
        var user = User();
        var team = Team();
        var key = Key(team.TeamId, user.UserId);
        var rows = Enumerable.Range(0, 2 * SpendPageRows + 50).Select(i => SpendOf(key, 0.01m, now.AddSeconds(i))).ToList();
        var total = 0.01m * rows.Count;
        // Counted, but their rows already gone: the old snapshot remembered more ids than it kept rows.
        string[] forgotten = [TestData.UniqueId("req"), TestData.UniqueId("req")];
        var legacy = new RegistryState();
        legacy.Teams[team.TeamId] = team with { Members = [], Spend = total };
        legacy.Users[user.UserId] = user with { Spend = total };
        legacy.Keys[key.Token] = key with { Spend = total };
        legacy.Memberships.Add(new RegistryMembership(team.TeamId, user.UserId, "user", total, now));
        legacy.SpendLog.AddRange(rows);
        legacy.SeenRequestIds.AddRange([.. forgotten, .. rows.Select(r => r.RequestId)]);
        await fixture.StoreSnapshotAsync(legacy);

        var served = await Registry.GetSpendLogs(ByKey(key));
        var countedAgain = await Ledger.Write([rows[0], rows[^1], rows[0] with { RequestId = forgotten[1] }]);

        Assert.Equal(Enumerable.Reverse(rows), served);
        Assert.Equal(total, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(total, (await Registry.GetTeam(team.TeamId))!.Spend);
        Assert.Equal<string>([team.TeamId], (await Registry.GetUser(user.UserId))!.Teams);
        Assert.Equal(0, countedAgain);
        var stored = await fixture.StoredSnapshotAsync();
        Assert.Empty(stored.SpendLog);
        Assert.Equal(forgotten, stored.SeenRequestIds);
        Assert.Equal(SpendPageRows, stored.SpendPageRows);
        Assert.Equal(2, stored.SpendPage);
        Assert.Equal(50, stored.SpendPageFill);

        // New rows go after the moved ones, and all of them are there after another activation.
        var more = SpendOf(key, 0.25m, now.AddHours(1));
        Assert.Equal(1, await Ledger.Write([more]));
        await fixture.DeactivateAsync();

        Assert.Equal<SpendRow>([more, .. Enumerable.Reverse(rows)], await Registry.GetSpendLogs(ByKey(key)));
        Assert.Equal(total + 0.25m, (await Registry.GetKey(key.Token))!.Spend);
        Assert.Equal(0, await Ledger.Write([rows[3], more, rows[0] with { RequestId = forgotten[0] }]));
    }
}
