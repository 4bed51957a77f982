using static HotDash.Grains.Tests.Quotas.QuotaTestData;

namespace HotDash.Grains.Tests.Quotas;

[Collection(QuotaClusterCollection.Name)]
public sealed class QuotaGrainRateLimitTests(QuotaClusterFixture fixture)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Reserve_200ConcurrentFromTwoSilosAndAClientWithRpmLimit50_AdmitsExactly50()
    {
        var key = QuotaSubjects.Team(TestData.UniqueId("team"));
        IGrainFactory[] gateways = [fixture.SiloGrains(0), fixture.SiloGrains(1), fixture.Grains];
        var limits = QuotaLimits.None with { RpmLimit = 50 };

        var calls = new Task<QuotaDecision>[200];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = gateways[i % gateways.Length].GetGrain<IQuotaGrain>(key).Reserve(Request(limits, tokens: 10));
        }
        var decisions = await Task.WhenAll(calls);
        var status = await fixture.Grains.GetGrain<IQuotaGrain>(key).GetStatus();

        Assert.Equal(50, decisions.Count(d => d.Admitted));
        Assert.All(decisions.Where(d => !d.Admitted), d =>
        {
            Assert.Equal(QuotaRefusalType.Throttling, d.RefusalType);
            Assert.Equal(QuotaRateLimitType.Requests, d.RateLimitType);
        });
        Assert.Equal(50, status.RequestsInWindow);
        Assert.Equal(50, status.InFlight);
        Assert.Equal(500, status.ReservedTokens);
    }

    [Fact]
    public async Task Reserve_RpmLimitReached_RefusesWithThrottlingError()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { RpmLimit = 2 };

        await grain.Reserve(Request(limits));
        await grain.Reserve(Request(limits));
        fixture.Time.Advance(TimeSpan.FromSeconds(15));
        var refused = await grain.Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.Throttling, refused.RefusalType);
        Assert.Equal(QuotaRateLimitType.Requests, refused.RateLimitType);
        Assert.Contains("rpm_limit 2", refused.Message);
        // Both counted requests are in the second 15 s ago, which leaves the window in 45 s.
        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);
        Assert.Equal(0, refused.RemainingRequests);
        Assert.Equal(2, (await grain.GetStatus()).RequestsInWindow);
    }

    [Fact]
    public async Task Reserve_AfterTheWindowSlides_AdmitsAgainWithResetHeaders()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { RpmLimit = 2 };

        var first = await grain.Reserve(Request(limits));
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await grain.Reserve(Request(limits));
        var refused = await grain.Reserve(Request(limits));
        fixture.Time.Advance(TimeSpan.FromSeconds(49));
        var stillRefused = await grain.Reserve(Request(limits));
        fixture.Time.Advance(Second);
        var afterSlide = await grain.Reserve(Request(limits));

        Assert.True(first.Admitted);
        Assert.Equal(2, first.LimitRequests);
        Assert.Equal(1, first.RemainingRequests);
        Assert.Equal(TimeSpan.FromSeconds(60), first.ResetRequests);
        Assert.True(second.Admitted);
        Assert.Equal(0, second.RemainingRequests);
        Assert.Equal(TimeSpan.FromSeconds(50), second.ResetRequests);
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter);
        Assert.False(stillRefused.Admitted);
        Assert.Equal(Second, stillRefused.RetryAfter);
        // 60 s after the first request it has left the window; the second (at +10 s) is now the oldest.
        Assert.True(afterSlide.Admitted);
        Assert.Equal(0, afterSlide.RemainingRequests);
        Assert.Equal(TimeSpan.FromSeconds(10), afterSlide.ResetRequests);
    }

    [Fact]
    public async Task Reserve_NoRateLimits_ReportsNoRateLimitHeaders()
    {
        var grain = fixture.Grains.NewTeam();

        var decision = await grain.Reserve(Request(QuotaLimits.None, tokens: 100));

        Assert.True(decision.Admitted);
        Assert.Null(decision.LimitRequests);
        Assert.Null(decision.RemainingRequests);
        Assert.Null(decision.ResetRequests);
        Assert.Null(decision.LimitTokens);
        Assert.Null(decision.RemainingTokens);
        Assert.Null(decision.ResetTokens);
        Assert.Null(decision.BudgetResetAt);
    }

    [Fact]
    public async Task Reserve_TokensReservedInFlight_CountTowardTpm()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { TpmLimit = 1000 };

        var first = await grain.Reserve(Request(limits, tokens: 600));
        // 600 reserved < 1000: admitted, although its 600 take the subject past the limit (bounded overshoot).
        var second = await grain.Reserve(Request(limits, tokens: 600));
        var third = await grain.Reserve(Request(limits, tokens: 1));

        Assert.True(first.Admitted);
        Assert.Equal(1000, first.LimitTokens);
        Assert.Equal(400, first.RemainingTokens);
        Assert.Equal(TimeSpan.FromSeconds(60), first.ResetTokens);
        Assert.True(second.Admitted);
        Assert.Equal(0, second.RemainingTokens);
        Assert.False(third.Admitted);
        Assert.Equal(QuotaRefusalType.Throttling, third.RefusalType);
        Assert.Equal(QuotaRateLimitType.Tokens, third.RateLimitType);
        Assert.Contains("tpm_limit 1000", third.Message);
        Assert.Contains("1200 reserved", third.Message);
    }

    [Fact]
    public async Task Settle_ActualTokensBelowEstimate_FreesTpmForNewRequests()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { TpmLimit = 1000 };
        var a = Request(limits, tokens: 600);
        var b = Request(limits, tokens: 600);
        await grain.Reserve(a);
        await grain.Reserve(b);
        var refusedWhileReserved = await grain.Reserve(Request(limits, tokens: 1));

        grain.Settle(new QuotaSettlement(a.ReservationId, 100, 0m)).Ignore();
        grain.Settle(new QuotaSettlement(b.ReservationId, 150, 0m)).Ignore();
        var status = await grain.StatusWhen(s => s.InFlight == 0);
        var admitted = await grain.Reserve(Request(limits, tokens: 50));

        Assert.False(refusedWhileReserved.Admitted);
        Assert.Equal(250, status.TokensInWindow);
        Assert.Equal(0, status.ReservedTokens);
        Assert.True(admitted.Admitted);
        Assert.Equal(1000 - 250 - 50, admitted.RemainingTokens);
    }

    [Fact]
    public async Task Reserve_TpmReachedBySettledTokens_RetryAfterIsWhenTheyLeaveTheWindow()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { TpmLimit = 1000 };
        var big = Request(limits, tokens: 10);
        await grain.Reserve(big);
        grain.Settle(new QuotaSettlement(big.ReservationId, 1000, 0m)).Ignore();
        await grain.StatusWhen(s => s.TokensInWindow == 1000);

        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        var refused = await grain.Reserve(Request(limits, tokens: 10));
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        var admitted = await grain.Reserve(Request(limits, tokens: 10));

        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.ResetTokens);
        Assert.True(admitted.Admitted);
        Assert.Equal(990, admitted.RemainingTokens);
    }

    [Fact]
    public async Task Reserve_MaxParallelReached_RefusesUntilARelease()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { MaxParallelRequests = 2, RpmLimit = 100 };
        var a = Request(limits, tokens: 40);
        await grain.Reserve(a);
        await grain.Reserve(Request(limits, tokens: 40));

        var refused = await grain.Reserve(Request(limits));
        grain.Release(a.ReservationId).Ignore();
        var afterRelease = await grain.StatusWhen(s => s.InFlight == 1);
        var admitted = await grain.Reserve(Request(limits));

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.Throttling, refused.RefusalType);
        Assert.Equal(QuotaRateLimitType.ParallelRequests, refused.RateLimitType);
        Assert.Contains("max_parallel_requests 2", refused.Message);
        Assert.Equal(Second, refused.RetryAfter);
        // The released request still counts toward rpm (LiteLLM counts at pre-call); its tokens are freed.
        Assert.Equal(2, afterRelease.RequestsInWindow);
        Assert.Equal(40, afterRelease.ReservedTokens);
        Assert.Equal(0, afterRelease.TokensInWindow);
        Assert.True(admitted.Admitted);
        Assert.Equal(97, admitted.RemainingRequests);
    }

    [Fact]
    public async Task Reserve_ModelRpmLimitReached_OtherModelsStillAdmitted()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { RpmLimit = 10, ModelRpmLimit = PerModel("gpt-4o", 1) };

        var first = await grain.Reserve(Request(limits, model: "gpt-4o"));
        var refused = await grain.Reserve(Request(limits, model: "gpt-4o"));
        var other = await grain.Reserve(Request(limits, model: "gpt-4o-mini"));
        var status = await grain.GetStatus();

        Assert.True(first.Admitted);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRefusalType.Throttling, refused.RefusalType);
        Assert.Equal(QuotaRateLimitType.ModelRequests, refused.RateLimitType);
        Assert.Contains("model_rpm_limit 1", refused.Message);
        Assert.Contains("gpt-4o", refused.Message);
        Assert.True(other.Admitted);
        // The model's refusal came after the subject's checks passed: the subject counted nothing for it.
        Assert.Equal(2, status.RequestsInWindow);
        Assert.Equal(1, status.Models["gpt-4o"].RequestsInWindow);
        Assert.False(status.Models.ContainsKey("gpt-4o-mini"));
    }

    [Fact]
    public async Task Reserve_ModelTpmLimitReached_OtherModelsStillAdmitted()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { ModelTpmLimit = PerModel("gpt-4o", 100) };

        var first = await grain.Reserve(Request(limits, tokens: 100, model: "gpt-4o"));
        var refused = await grain.Reserve(Request(limits, tokens: 1, model: "gpt-4o"));
        var other = await grain.Reserve(Request(limits, tokens: 5000, model: "claude-3-5-sonnet"));

        Assert.True(first.Admitted);
        // Headers fall back to the model's limit when the subject has none.
        Assert.Equal(100, first.LimitTokens);
        Assert.Equal(0, first.RemainingTokens);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRateLimitType.ModelTokens, refused.RateLimitType);
        Assert.Contains("model_tpm_limit 100", refused.Message);
        Assert.True(other.Admitted);
        Assert.Null(other.LimitTokens);
    }

    [Fact]
    public async Task Reserve_Refused_LeavesNoReservationBehind()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with
        {
            RpmLimit = 10,
            TpmLimit = 100,
            MaxParallelRequests = 10,
            MaxBudget = 5m,
            ModelRpmLimit = PerModel("gpt-4o", 10),
        };
        await grain.Reserve(Request(limits, tokens: 100, cost: 0.5m));
        var before = await grain.GetStatus();

        var refused = await grain.Reserve(Request(limits, tokens: 5, cost: 0.5m));
        var after = await grain.GetStatus();

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaRateLimitType.Tokens, refused.RateLimitType);
        Assert.Equal(before.RequestsInWindow, after.RequestsInWindow);
        Assert.Equal(before.InFlight, after.InFlight);
        Assert.Equal(before.ReservedTokens, after.ReservedTokens);
        Assert.Equal(before.ReservedCost, after.ReservedCost);
        Assert.Equal(before.Models["gpt-4o"], after.Models["gpt-4o"]);
    }

    [Fact]
    public async Task Reserve_SameReservationIdTwice_CountsOnce()
    {
        var grain = fixture.Grains.NewTeam();
        var limits = QuotaLimits.None with { RpmLimit = 5, MaxParallelRequests = 1 };
        var request = Request(limits, tokens: 30);

        var first = await grain.Reserve(request);
        var retried = await grain.Reserve(request);
        var status = await grain.GetStatus();

        Assert.True(first.Admitted);
        Assert.True(retried.Admitted);
        Assert.Equal(1, status.RequestsInWindow);
        Assert.Equal(1, status.InFlight);
        Assert.Equal(30, status.ReservedTokens);
    }
}
