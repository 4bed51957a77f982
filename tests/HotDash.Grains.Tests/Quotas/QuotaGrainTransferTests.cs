using HotDash.Grains.Quotas;
using static HotDash.Grains.Tests.Quotas.QuotaTestData;

namespace HotDash.Grains.Tests.Quotas;

/// <summary>A subject's quota moved to another subject (a regenerated key's old hash to its new one).</summary>
[Collection(QuotaClusterCollection.Name)]
public sealed class QuotaGrainTransferTests(QuotaClusterFixture fixture)
{
    private static readonly QuotaLimits Limits = QuotaLimits.None with { RpmLimit = 100, MaxBudget = 10m, BudgetDuration = TimeSpan.FromDays(30) };

    [Fact]
    public async Task MoveTo_UsedSubject_NewSubjectHasItsSpendWindowAndPeriodAndTheOldOneIsEmpty()
    {
        var (oldKey, newKey) = (NewKeySubject(), NewKeySubject());
        var request = Request(Limits, tokens: 100, cost: 0.5m);
        await Quota(oldKey).Reserve(request);
        Quota(oldKey).Settle(new QuotaSettlement(request.ReservationId, 300, 2m)).Ignore();
        var before = await Quota(oldKey).StatusWhen(s => s.InFlight == 0);

        await Transfer(oldKey).MoveTo(newKey);
        var moved = await Quota(newKey).GetStatus();
        var left = await Quota(oldKey).GetStatus();

        Assert.Equal(2m, moved.Spend);
        Assert.Equal(before.BudgetPeriodStart, moved.BudgetPeriodStart);
        Assert.Equal(before.BudgetResetAt, moved.BudgetResetAt);
        Assert.Equal(1, moved.RequestsInWindow);
        Assert.Equal(300, moved.TokensInWindow);
        Assert.Equal(0m, left.Spend);
        Assert.Equal(0, left.RequestsInWindow);
    }

    [Fact]
    public async Task MoveTo_NewSubjectAlreadyUsed_CountersAreAddedNotReplaced()
    {
        var (oldKey, newKey) = (NewKeySubject(), NewKeySubject());
        await ReserveAndSettle(oldKey, 1.5m, tokens: 100);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        await ReserveAndSettle(newKey, 0.25m, tokens: 50);

        await Transfer(oldKey).MoveTo(newKey);
        var merged = await Quota(newKey).GetStatus();

        Assert.Equal(1.75m, merged.Spend);
        Assert.Equal(2, merged.RequestsInWindow);
        Assert.Equal(150, merged.TokensInWindow);
    }

    [Fact]
    public async Task MoveTo_PerModelCounters_MoveWithTheSubject()
    {
        var (oldKey, newKey) = (NewKeySubject(), NewKeySubject());
        var limits = QuotaLimits.None with { ModelRpmLimit = PerModel(Model, 1) };
        Assert.True((await Quota(oldKey).Reserve(Request(limits))).Admitted);

        await Transfer(oldKey).MoveTo(newKey);
        var refused = await Quota(newKey).Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRateLimitType.ModelRequests, refused.RateLimitType);
    }

    [Fact]
    public async Task MoveTo_ReservationInFlight_HeldByTheNewSubjectAndItsSettlementSentToTheOldOneCountsThere()
    {
        var (oldKey, newKey) = (NewKeySubject(), NewKeySubject());
        var request = Request(QuotaLimits.None with { MaxParallelRequests = 1 }, tokens: 100, cost: 0.5m);
        await Quota(oldKey).Reserve(request);

        await Transfer(oldKey).MoveTo(newKey);
        var held = await Quota(newKey).GetStatus();
        Quota(oldKey).Settle(new QuotaSettlement(request.ReservationId, 200, 3m)).Ignore();
        var settled = await Quota(newKey).StatusWhen(s => s.InFlight == 0);
        await Settling();
        var old = await Quota(oldKey).GetStatus();

        Assert.Equal(1, held.InFlight);
        Assert.Equal(0.5m, held.ReservedCost);
        Assert.Equal(0, settled.InFlight);
        Assert.Equal(3m, settled.Spend);
        Assert.Equal(200, settled.TokensInWindow);
        Assert.Equal(0m, old.Spend);
        Assert.Equal(0, old.InFlight);
    }

    [Fact]
    public async Task MoveTo_ReservationInFlight_ReleaseSentToTheOldSubjectFreesItOnTheNewOne()
    {
        var (oldKey, newKey) = (NewKeySubject(), NewKeySubject());
        var limits = QuotaLimits.None with { MaxParallelRequests = 1 };
        var request = Request(limits, tokens: 100);
        await Quota(oldKey).Reserve(request);
        await Transfer(oldKey).MoveTo(newKey);
        Assert.False((await Quota(newKey).Reserve(Request(limits))).Admitted);

        Quota(oldKey).Release(request.ReservationId).Ignore();
        await Quota(newKey).StatusWhen(s => s.InFlight == 0);

        Assert.True((await Quota(newKey).Reserve(Request(limits))).Admitted);
    }

    [Fact]
    public async Task MoveTo_ItsOwnSubject_IsRefused()
    {
        var key = NewKeySubject();

        await Assert.ThrowsAsync<ArgumentException>(() => Transfer(key).MoveTo(key));
    }

    private static string NewKeySubject() => QuotaSubjects.Key(TestData.UniqueId("hash"));

    private IQuotaGrain Quota(string subject) => fixture.Grains.GetGrain<IQuotaGrain>(subject);

    private IQuotaTransferGrain Transfer(string subject) => fixture.Grains.GetGrain<IQuotaTransferGrain>(subject);

    private async Task ReserveAndSettle(string subject, decimal cost, long tokens)
    {
        var request = Request(Limits, tokens: tokens);
        Assert.True((await Quota(subject).Reserve(request)).Admitted);
        Quota(subject).Settle(new QuotaSettlement(request.ReservationId, tokens, cost)).Ignore();
        await Quota(subject).StatusWhen(s => s.InFlight == 0);
    }
}
