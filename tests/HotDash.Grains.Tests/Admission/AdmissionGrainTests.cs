using HotDash.Grains.Tests.Quotas;
using static HotDash.Grains.Tests.Admission.AdmissionTestData;

namespace HotDash.Grains.Tests.Admission;

[Collection(QuotaClusterCollection.Name)]
public sealed class AdmissionGrainTests(QuotaClusterFixture fixture)
{
    [Fact]
    public async Task Admit_KeyAndTeamBothAdmit_AdmitsWithTheSmallerRemaining()
    {
        var key = NewKey(QuotaLimits.None with { RpmLimit = 100, TpmLimit = 1_000 });
        var team = NewTeam(QuotaLimits.None with { RpmLimit = 10, TpmLimit = 100_000 });

        var decision = await fixture.Grains.Admission().Admit(Request(tokens: 200, cost: 0.1m, key, team));

        Assert.True(decision.Admitted);
        Assert.Null(decision.RefusingSubject);
        Assert.Equal(10, decision.LimitRequests);
        Assert.Equal(9, decision.RemainingRequests);
        Assert.Equal(1_000, decision.LimitTokens);
        Assert.Equal(800, decision.RemainingTokens);
        Assert.Equal(0m, decision.Spend[key.Key]);
        Assert.Equal(0m, decision.Spend[team.Key]);
        Assert.Equal(1, (await fixture.Grains.Quota(key).GetStatus()).InFlight);
        Assert.Equal(1, (await fixture.Grains.Quota(team).GetStatus()).InFlight);
    }

    [Fact]
    public async Task Admit_NoSubjectHasALimit_AdmitsWithoutHeaderValues()
    {
        var decision = await fixture.Grains.Admission().Admit(Request(tokens: 10, subjects: [NewKey(QuotaLimits.None), NewTeam(QuotaLimits.None)]));

        Assert.True(decision.Admitted);
        Assert.Null(decision.LimitRequests);
        Assert.Null(decision.RemainingRequests);
        Assert.Null(decision.LimitTokens);
        Assert.Null(decision.RemainingTokens);
    }

    [Fact]
    public async Task Admit_TeamRefuses_RefusesNamingTheTeamAndCancelsTheKeysReservation()
    {
        var key = NewKey(QuotaLimits.None with { RpmLimit = 100 });
        var team = NewTeam(QuotaLimits.None with { RpmLimit = 1 });
        var admission = fixture.Grains.Admission();
        Assert.True((await admission.Admit(Request(subjects: team))).Admitted);

        var decision = await admission.Admit(Request(tokens: 50, cost: 0.2m, key, team));
        var keyStatus = await fixture.Grains.Quota(key).StatusWhen(s => s.InFlight == 0 && s.RequestsInWindow == 0);

        Assert.False(decision.Admitted);
        Assert.Equal(team.Key, decision.RefusingSubject);
        Assert.Equal(QuotaRefusalType.Throttling, decision.RefusalType);
        Assert.Equal(QuotaRateLimitType.Requests, decision.RateLimitType);
        Assert.NotNull(decision.Message);
        Assert.Equal(0, keyStatus.InFlight);
        Assert.Equal(0, keyStatus.RequestsInWindow);
        Assert.Equal(0, keyStatus.ReservedTokens);
        Assert.Equal(0m, keyStatus.ReservedCost);
    }

    [Fact]
    public async Task Admit_TwoSubjectsRefuse_NamesTheFirstInTheRequestsOrder()
    {
        var user = new QuotaSubject(QuotaSubjects.User(TestData.UniqueId("user")), QuotaLimits.None with { MaxBudget = 0m });
        var team = NewTeam(QuotaLimits.None with { MaxBudget = 0m });

        var decision = await fixture.Grains.Admission().Admit(Request(subjects: [NewKey(QuotaLimits.None), user, team]));

        Assert.False(decision.Admitted);
        Assert.Equal(user.Key, decision.RefusingSubject);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, decision.RefusalType);
    }

    [Fact]
    public async Task Admit_200ConcurrentCallsSharingATeamWithRpm50_AdmitsExactly50AndCountsNothingForTheRefused()
    {
        var team = NewTeam(QuotaLimits.None with { RpmLimit = 50 });
        var requests = new AdmissionRequest[200];
        var calls = new Task<AdmissionDecision>[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Request(tokens: 10, cost: 0.01m, NewKey(QuotaLimits.None with { RpmLimit = 5 }), team);
        }
        for (var i = 0; i < requests.Length; i++)
        {
            // Enter at both silos, as from two gateways.
            calls[i] = fixture.SiloGrains(i % 2).Admission().Admit(requests[i]);
        }

        var decisions = await Task.WhenAll(calls);
        var keyStatuses = new Task<QuotaStatus>[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            var expected = decisions[i].Admitted ? 1 : 0;
            keyStatuses[i] = fixture.Grains.Quota(requests[i].Subjects[0]).StatusWhen(s => s.InFlight == expected && s.RequestsInWindow == expected);
        }
        var statuses = await Task.WhenAll(keyStatuses);

        Assert.Equal(50, decisions.Count(d => d.Admitted));
        Assert.All(decisions.Where(d => !d.Admitted), d => Assert.Equal(team.Key, d.RefusingSubject));
        for (var i = 0; i < requests.Length; i++)
        {
            var expected = decisions[i].Admitted ? 1 : 0;
            Assert.Equal(expected, statuses[i].RequestsInWindow);
            Assert.Equal(expected, statuses[i].InFlight);
        }
        var teamStatus = await fixture.Grains.Quota(team).GetStatus();
        Assert.Equal(50, teamStatus.RequestsInWindow);
        Assert.Equal(50, teamStatus.InFlight);
    }

    [Fact]
    public async Task Settle_AdmittedRequest_ReachesEverySubject()
    {
        var key = NewKey(QuotaLimits.None with { TpmLimit = 10_000 });
        var team = NewTeam(QuotaLimits.None with { MaxBudget = 10m });
        var user = new QuotaSubject(QuotaSubjects.User(TestData.UniqueId("user")), QuotaLimits.None);
        var admission = fixture.Grains.Admission();
        var request = Request(tokens: 500, cost: 0.5m, key, team, user);
        Assert.True((await admission.Admit(request)).Admitted);

        admission.Settle(new AdmissionSettlement(request.ReservationId, Keys(request), 300, 0.25m)).Ignore();

        foreach (var subject in request.Subjects)
        {
            var status = await fixture.Grains.Quota(subject).StatusWhen(s => s.InFlight == 0);
            Assert.Equal(0, status.InFlight);
            Assert.Equal(300, status.TokensInWindow);
            Assert.Equal(0.25m, status.Spend);
            Assert.Equal(0, status.ReservedTokens);
        }
    }

    [Fact]
    public async Task Release_AdmittedRequest_FreesEverySubjectButKeepsTheRequestCounted()
    {
        var key = NewKey(QuotaLimits.None with { MaxParallelRequests = 1 });
        var team = NewTeam(QuotaLimits.None with { RpmLimit = 100 });
        var admission = fixture.Grains.Admission();
        var request = Request(tokens: 500, cost: 0.5m, key, team);
        Assert.True((await admission.Admit(request)).Admitted);

        admission.Release(request.ReservationId, Keys(request)).Ignore();

        foreach (var subject in request.Subjects)
        {
            var status = await fixture.Grains.Quota(subject).StatusWhen(s => s.InFlight == 0);
            Assert.Equal(0, status.InFlight);
            Assert.Equal(0, status.ReservedTokens);
            Assert.Equal(0m, status.ReservedCost);
            Assert.Equal(0m, status.Spend);
            Assert.Equal(1, status.RequestsInWindow);
        }
    }

    [Fact]
    public async Task Admit_NoSubjects_AdmitsAtOnce()
    {
        var decision = await fixture.Grains.Admission().Admit(Request(tokens: 1_000_000, cost: 100m));

        Assert.True(decision.Admitted);
        Assert.Null(decision.RefusingSubject);
        Assert.Null(decision.LimitRequests);
        Assert.Null(decision.LimitTokens);
        Assert.Empty(decision.Spend);
    }
}
