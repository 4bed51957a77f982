using static HotDash.Grains.Tests.Quotas.QuotaTestData;

namespace HotDash.Grains.Tests.Quotas;

[Collection(QuotaClusterCollection.Name)]
public sealed class QuotaGrainBudgetTests(QuotaClusterFixture fixture)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Reserve_BudgetSpentAfterSettle_RefusesWithBudgetExceeded()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1.0m };
        var request = Request(limits, cost: 0.2m);

        var admitted = await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 500, 1.0m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 1.0m);
        var refused = await grain.Reserve(Request(limits, cost: 0.01m));

        Assert.True(admitted.Admitted);
        Assert.Equal(0m, admitted.Spend);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, refused.RefusalType);
        Assert.Equal(QuotaRateLimitType.Budget, refused.RateLimitType);
        Assert.Contains("max_budget 1.0", refused.Message);
        Assert.Equal(1.0m, refused.Spend);
        // No budget_duration: it never resets, so there is nothing to wait for.
        Assert.Null(refused.RetryAfter);
        Assert.Null(refused.BudgetResetAt);
    }

    [Fact]
    public async Task Reserve_SpendBelowMaxBudget_Admits()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1.0m };
        var request = Request(limits);
        await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 0, 0.99m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 0.99m);

        var decision = await grain.Reserve(Request(limits, cost: 0.5m));

        Assert.True(decision.Admitted);
        Assert.Equal(0.99m, decision.Spend);
    }

    [Fact]
    public async Task Reserve_ReservedCostInFlightReachesMaxBudget_Refuses()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1.0m };

        var first = await grain.Reserve(Request(limits, cost: 0.6m));
        var second = await grain.Reserve(Request(limits, cost: 0.6m));
        var third = await grain.Reserve(Request(limits, cost: 0.01m));

        Assert.True(first.Admitted);
        Assert.True(second.Admitted);
        Assert.False(third.Admitted);
        Assert.Equal(QuotaRateLimitType.Budget, third.RateLimitType);
        Assert.Contains("1.2 reserved", third.Message);
    }

    [Fact]
    public async Task Reserve_BudgetDurationElapsed_ResetsSpend()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1m, BudgetDuration = Hour };
        var start = fixture.Time.GetUtcNow();
        var request = Request(limits);
        var first = await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 0, 1.5m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 1.5m);

        fixture.Time.Advance(TimeSpan.FromMinutes(45));
        var refused = await grain.Reserve(Request(limits));
        fixture.Time.Advance(TimeSpan.FromMinutes(15));
        var afterReset = await grain.Reserve(Request(limits));

        Assert.Equal(start + Hour, first.BudgetResetAt);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, refused.RefusalType);
        Assert.Equal(TimeSpan.FromMinutes(15), refused.RetryAfter);
        Assert.Equal(start + Hour, refused.BudgetResetAt);
        Assert.Contains("resets at", refused.Message);
        Assert.True(afterReset.Admitted);
        Assert.Equal(0m, afterReset.Spend);
        // The new period starts at this first use after the old one ended.
        Assert.Equal(start + Hour + Hour, afterReset.BudgetResetAt);
    }

    [Fact]
    public async Task Reserve_NoBudgetDuration_SpendNeverResets()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1m };
        var request = Request(limits);
        await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 0, 1m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 1m);

        fixture.Time.Advance(TimeSpan.FromDays(60));
        var decision = await grain.Reserve(Request(limits));

        Assert.False(decision.Admitted);
        Assert.Equal(1m, decision.Spend);
    }

    [Fact]
    public async Task ResetBudget_SpentBudget_AdmitsAgainAndStartsANewPeriod()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxBudget = 1m, BudgetDuration = TimeSpan.FromDays(30) };
        var request = Request(limits);
        await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 0, 2m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 2m);
        fixture.Time.Advance(TimeSpan.FromDays(1));
        var refused = await grain.Reserve(Request(limits));

        await grain.ResetBudget();
        var status = await grain.GetStatus();
        var admitted = await grain.Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(0m, status.Spend);
        Assert.Equal(fixture.Time.GetUtcNow(), status.BudgetPeriodStart);
        Assert.True(admitted.Admitted);
        Assert.Equal(fixture.Time.GetUtcNow() + TimeSpan.FromDays(30), admitted.BudgetResetAt);
    }

    [Fact]
    public async Task Reserve_ModelBudgetSpent_OtherModelsStillAdmittedUntilItsPeriodEnds()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with
        {
            MaxBudget = 100m,
            ModelMaxBudget = ImmutableDictionary<string, ModelBudget>.Empty.Add("gpt-4o", new ModelBudget(0.5m, TimeSpan.FromDays(1))),
        };
        var request = Request(limits, model: "gpt-4o");
        await grain.Reserve(request);
        grain.Settle(new QuotaSettlement(request.ReservationId, 0, 0.5m)).Ignore();
        await grain.StatusWhen(s => s.Spend == 0.5m);

        var refused = await grain.Reserve(Request(limits, model: "gpt-4o"));
        var other = await grain.Reserve(Request(limits, model: "gpt-4o-mini"));
        fixture.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await grain.Reserve(Request(limits, model: "gpt-4o"));
        var status = await grain.GetStatus();

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, refused.RefusalType);
        Assert.Equal(QuotaRateLimitType.ModelBudget, refused.RateLimitType);
        Assert.Contains("model_max_budget 0.5", refused.Message);
        Assert.Equal(TimeSpan.FromDays(1), refused.RetryAfter);
        Assert.True(other.Admitted);
        Assert.True(nextDay.Admitted);
        // The subject's own budget has no duration: its spend stays.
        Assert.Equal(0.5m, status.Spend);
        Assert.Equal(0m, status.Models["gpt-4o"].Spend);
    }
}
