using HotDash.Grains.Quotas;
using static HotDash.Grains.Tests.Quotas.QuotaTestData;

namespace HotDash.Grains.Tests.Quotas;

[Collection(QuotaClusterCollection.Name)]
public sealed class QuotaGrainReservationTests(QuotaClusterFixture fixture)
{
    [Fact]
    public async Task Settle_SameReservationTwice_CountsOnce()
    {
        var grain = fixture.Grains.NewTeam();
        var request = Request(QuotaLimits.None with { TpmLimit = 10_000 }, tokens: 500, cost: 0.5m);
        await grain.Reserve(request);

        grain.Settle(new QuotaSettlement(request.ReservationId, 1000, 0.1m)).Ignore();
        grain.Settle(new QuotaSettlement(request.ReservationId, 1000, 0.1m)).Ignore();
        await grain.StatusWhen(s => s.InFlight == 0);
        await Settling();
        var status = await grain.GetStatus();

        Assert.Equal(1000, status.TokensInWindow);
        Assert.Equal(0.1m, status.Spend);
        Assert.Equal(0, status.ReservedTokens);
        Assert.Equal(0m, status.ReservedCost);
    }

    [Fact]
    public async Task Settle_UnknownReservation_IsIgnored()
    {
        var grain = fixture.Grains.NewTeam();
        await grain.Reserve(Request(QuotaLimits.None, tokens: 10));

        grain.Settle(new QuotaSettlement("never-reserved", 1000, 5m)).Ignore();
        grain.Release("never-reserved").Ignore();
        grain.Cancel("never-reserved").Ignore();
        await Settling();
        var status = await grain.GetStatus();

        Assert.Equal(0m, status.Spend);
        Assert.Equal(0, status.TokensInWindow);
        Assert.Equal(1, status.InFlight);
        Assert.Equal(1, status.RequestsInWindow);
    }

    [Fact]
    public async Task Settle_AfterTheWindowMoved_CountsSpendButNotTokensOutsideIt()
    {
        var grain = fixture.Grains.NewTeam();
        var request = Request(QuotaLimits.None with { TpmLimit = 1000 }, tokens: 100);
        await grain.Reserve(request);
        fixture.Time.Advance(TimeSpan.FromSeconds(90));

        grain.Settle(new QuotaSettlement(request.ReservationId, 800, 0.3m)).Ignore();
        var status = await grain.StatusWhen(s => s.InFlight == 0);

        // The tokens belong to the second of admission, 90 s ago: outside the window.
        Assert.Equal(0, status.TokensInWindow);
        Assert.Equal(0.3m, status.Spend);
    }

    [Fact]
    public async Task Cancel_RequestRefusedByAnotherQuota_UncountsEverything()
    {
        var key = fixture.Grains.GetGrain<IQuotaGrain>(QuotaSubjects.Key(TestData.UniqueId("hash")));
        var limits = QuotaLimits.None with { RpmLimit = 1, MaxParallelRequests = 1 };
        var request = Request(limits, tokens: 70, cost: 0.2m);
        await key.Reserve(request);

        key.Cancel(request.ReservationId).Ignore();
        var status = await key.StatusWhen(s => s.InFlight == 0);
        var next = await key.Reserve(Request(limits));

        Assert.Equal(0, status.RequestsInWindow);
        Assert.Equal(0, status.ReservedTokens);
        Assert.Equal(0m, status.ReservedCost);
        Assert.True(next.Admitted);
    }

    [Fact]
    public async Task Sweep_ReservationUnsettledFor10Minutes_ReleasesItsParallelSlot()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxParallelRequests = 1, TpmLimit = 1000 };
        await grain.Reserve(Request(limits, tokens: 900, cost: 1m));
        var blocked = await grain.Reserve(Request(limits));

        // The grain timer runs on the fake clock: moving it past the lifetime fires the sweep.
        fixture.Time.Advance(QuotaGrainLifetime);
        var status = await grain.StatusWhen(s => s.InFlight == 0);
        var admitted = await grain.Reserve(Request(limits));

        Assert.False(blocked.Admitted);
        Assert.Equal(QuotaRateLimitType.ParallelRequests, blocked.RateLimitType);
        Assert.Equal(0, status.InFlight);
        Assert.Equal(0, status.ReservedTokens);
        Assert.Equal(0m, status.ReservedCost);
        Assert.True(admitted.Admitted);
    }

    [Fact]
    public async Task Settle_AfterItsReservationExpired_CountsTheSpendOnce()
    {
        var grain = fixture.Grains.NewTeam();
        var request = Request(QuotaLimits.None with { MaxBudget = 10m }, tokens: 100, cost: 1m);
        await grain.Reserve(request);
        fixture.Time.Advance(QuotaGrainLifetime);
        await grain.StatusWhen(s => s.InFlight == 0);

        grain.Settle(new QuotaSettlement(request.ReservationId, 120, 0.7m)).Ignore();
        grain.Settle(new QuotaSettlement(request.ReservationId, 120, 0.7m)).Ignore();
        await grain.StatusWhen(s => s.Spend != 0m);
        await Settling();
        var status = await grain.GetStatus();

        Assert.Equal(0.7m, status.Spend);
        Assert.Equal(0, status.InFlight);
    }

    // The reservation lifetime plus the sweep's period, so a timer tick surely falls after it.
    private static readonly TimeSpan QuotaGrainLifetime = QuotaGrain.ReservationLifetime + QuotaGrain.SweepInterval;
}
