using HotDash.Grains.Quotas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using static HotDash.Grains.Tests.Quotas.QuotaTestData;

namespace HotDash.Grains.Tests.Quotas;

[Collection(QuotaClusterCollection.Name)]
public sealed class QuotaGrainPersistenceTests(QuotaClusterFixture fixture)
{
    [Fact]
    public async Task GetStatus_AfterDeactivation_StateIsRestored()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with
        {
            RpmLimit = 10,
            MaxBudget = 5m,
            BudgetDuration = TimeSpan.FromDays(1),
            ModelTpmLimit = PerModel("gpt-4o", 10_000),
        };
        var settled = Request(limits, tokens: 100, cost: 0.2m);
        var inFlight = Request(limits, tokens: 300, cost: 0.4m);
        await grain.Reserve(settled);
        await grain.Reserve(inFlight);
        grain.Settle(new QuotaSettlement(settled.ReservationId, 250, 1.25m)).Ignore();
        var before = await grain.StatusWhen(s => s.Spend == 1.25m);

        await fixture.Cluster.DeactivateAsync(grain);
        var after = await grain.GetStatus();
        grain.Settle(new QuotaSettlement(inFlight.ReservationId, 50, 0.5m)).Ignore();
        var settledAfter = await grain.StatusWhen(s => s.InFlight == 0);

        Assert.Equal(before.Spend, after.Spend);
        Assert.Equal(before.BudgetPeriodStart, after.BudgetPeriodStart);
        Assert.Equal(before.BudgetResetAt, after.BudgetResetAt);
        Assert.Equal(2, after.RequestsInWindow);
        Assert.Equal(250, after.TokensInWindow);
        Assert.Equal(1, after.InFlight);
        Assert.Equal(300, after.ReservedTokens);
        Assert.Equal(0.4m, after.ReservedCost);
        Assert.Equal(before.Models["gpt-4o"], after.Models["gpt-4o"]);
        // The reservation made before the deactivation settles after it, once.
        Assert.Equal(1.75m, settledAfter.Spend);
        Assert.Equal(300, settledAfter.TokensInWindow);
        Assert.Equal(300, settledAfter.Models["gpt-4o"].TokensInWindow);
    }

    [Fact]
    public async Task Reserve_AfterDeactivation_LimitsStillHold()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { RpmLimit = 3 };
        for (var i = 0; i < 3; i++)
        {
            await grain.Reserve(Request(limits));
        }

        await fixture.Cluster.DeactivateAsync(grain);
        var refused = await grain.Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRateLimitType.Requests, refused.RateLimitType);
    }

    [Fact]
    public async Task Reserve_StateLeftByACrash_ReservationsInDoubtFreeTheirSlotsAndALateSettlementCountsOnce()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxParallelRequests = 1, MaxBudget = 10m };
        var lost = Request(limits, tokens: 100, cost: 1m);
        Assert.True((await grain.Reserve(lost)).Admitted);
        var crashed = await StoredWhen(grain.GetGrainId(), s => s.Reservations.Count == 1);
        Assert.False(crashed.Deactivated);

        // A crash: the activation is gone and storage holds the last write-behind snapshot, not a deactivation's.
        await fixture.Cluster.DeactivateAsync(grain);
        var current = new GrainState<QuotaState>();
        await fixture.Storage.ReadStateAsync("quota", grain.GetGrainId(), current);
        current.State = crashed;
        await fixture.Storage.WriteStateAsync("quota", grain.GetGrainId(), current);
        var next = await grain.Reserve(Request(limits));
        grain.Settle(new QuotaSettlement(lost.ReservationId, 80, 2m)).Ignore();
        var status = await grain.StatusWhen(s => s.Spend == 2m);

        // Its parallel slot is free at once instead of after ReservationLifetime; its request still counts.
        Assert.True(next.Admitted);
        Assert.Equal(2, status.RequestsInWindow);
        Assert.Equal(2m, status.Spend);
    }

    [Fact]
    public async Task Reserve_AfterOrderlyDeactivation_ReservationsInFlightKeepTheirSlots()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxParallelRequests = 1 };
        Assert.True((await grain.Reserve(Request(limits))).Admitted);

        await fixture.Cluster.DeactivateAsync(grain);
        var refused = await grain.Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRateLimitType.ParallelRequests, refused.RateLimitType);
    }

    [Fact]
    public async Task Settle_WithoutDeactivation_SpendIsWrittenBehindToStorage()
    {
        var grain = fixture.Grains.NewTeam();
        var request = Request(QuotaLimits.None with { MaxBudget = 10m }, cost: 1m);
        await grain.Reserve(request);

        grain.Settle(new QuotaSettlement(request.ReservationId, 10, 2.5m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 2.5m);
        var stored = await StoredWhen(grain.GetGrainId(), s => s.Subject.Spend == 2.5m);

        Assert.Equal(2.5m, stored.Subject.Spend);
        Assert.Empty(stored.Reservations);
        Assert.Equal(1, Assert.Single(stored.Subject.Buckets).Requests);
    }

    [Fact]
    public async Task ResetBudget_Returns_ResetIsAlreadyInStorage()
    {
        var grain = fixture.Grains.NewTeam();
        var request = Request(QuotaLimits.None, cost: 1m);
        await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 10, 3m)).Ignore();
        await StoredWhen(grain.GetGrainId(), s => s.Subject.Spend == 3m);

        await grain.ResetBudget();
        var stored = new GrainState<QuotaState>();
        await fixture.Storage.ReadStateAsync("quota", grain.GetGrainId(), stored);

        Assert.NotNull(stored.State);
        Assert.Equal(0m, stored.State.Subject.Spend);
        Assert.Equal(fixture.Time.GetUtcNow(), stored.State.Subject.PeriodStart);
    }

    [Fact]
    public void QuotaState_ThroughTheSilosStorageSerializer_RoundTrips()
    {
        // Redis grain storage serialises with the silo's IGrainStorageSerializer; memory storage may not serialise at all.
        var serializer = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var reservation = new QuotaReservation("call-1", "gpt-4o", 1_767_225_600, 300, 0.25m, fixture.Time.GetUtcNow());
        var state = new QuotaState
        {
            Subject = new QuotaUsageState
            {
                Buckets = [new QuotaBucketState(1_767_225_600, 3, 1200)],
                Spend = 1.234567m,
                PeriodStart = fixture.Time.GetUtcNow(),
                PeriodLength = TimeSpan.FromDays(30),
            },
            Models = new() { ["gpt-4o"] = new QuotaUsageState { Spend = 0.5m } },
            Reservations = [reservation],
            Expired = [reservation with { Id = "call-0" }],
        };

        var back = serializer.Deserialize<QuotaState>(serializer.Serialize(state));

        Assert.NotNull(back);
        Assert.Equal(state.Subject.Buckets, back.Subject.Buckets);
        Assert.Equal(1.234567m, back.Subject.Spend);
        Assert.Equal(state.Subject.PeriodStart, back.Subject.PeriodStart);
        Assert.Equal(TimeSpan.FromDays(30), back.Subject.PeriodLength);
        Assert.Equal(0.5m, back.Models["gpt-4o"].Spend);
        Assert.Equal(reservation, Assert.Single(back.Reservations));
        Assert.Equal("call-0", Assert.Single(back.Expired).Id);
    }

    // Writes are behind the calls: look a few times (real time, bounded).
    private async Task<QuotaState> StoredWhen(GrainId id, Func<QuotaState, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var stored = new GrainState<QuotaState>();
            await fixture.Storage.ReadStateAsync("quota", id, stored);
            if (stored.State is { } s && done(s) || DateTime.UtcNow > deadline)
            {
                return stored.State ?? new QuotaState();
            }
            await Task.Delay(10);
        }
    }
}
