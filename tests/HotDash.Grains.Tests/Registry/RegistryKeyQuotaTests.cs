using HotDash.Grains.Admission;
using HotDash.Grains.Tests.Admission;
using HotDash.Grains.Tests.Quotas;
using static HotDash.Grains.Tests.Registry.RegistryTestData;

namespace HotDash.Grains.Tests.Registry;

/// <summary>A regenerated key keeps its quota: rotating a key does not reset its budget or its rate windows.</summary>
[Collection(RegistryClusterCollection.Name)]
public sealed class RegistryKeyQuotaTests(RegistryClusterFixture fixture)
{
    // Writes enter at one silo, requests at the other, as from two gateways.
    private IRegistryGrain Registry => fixture.SiloGrains(0).Registry();

    private IAdmissionGrain Admission => fixture.SiloGrains(1).Admission();

    [Fact]
    public async Task RegenerateKey_KeyOverItsMaxBudget_NewKeyIsRefusedWithBudgetExceeded()
    {
        var old = await Registry.CreatedKey(Key() with { Limits = QuotaLimits.None with { MaxBudget = 1m } });
        await Spend(old, 2m);
        var renewed = Key() with { Limits = old.Limits };

        Assert.True((await Registry.RegenerateKey(old.Token, renewed, Admin)).IsOk);
        fixture.Time.Advance(DefinitionCache.Lifetime);
        var decision = await Admission.AdmitKey(AdmissionKeyTestData.Request(renewed));

        Assert.Equal(KeyAdmissionStatus.RateLimited, decision.Status);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, decision.Quota?.RefusalType);
    }

    [Fact]
    public async Task RegenerateKey_RpmLimitReachedByTheOldKey_NewKeyIsRateLimited()
    {
        var old = await Registry.CreatedKey(Key() with { Limits = QuotaLimits.None with { RpmLimit = 2 } });
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Admission.AdmitKey(AdmissionKeyTestData.Request(old))).Status);
        Assert.Equal(KeyAdmissionStatus.Admitted, (await Admission.AdmitKey(AdmissionKeyTestData.Request(old))).Status);
        var renewed = Key() with { Limits = old.Limits };

        Assert.True((await Registry.RegenerateKey(old.Token, renewed, Admin)).IsOk);
        fixture.Time.Advance(DefinitionCache.Lifetime);
        var decision = await Admission.AdmitKey(AdmissionKeyTestData.Request(renewed));

        Assert.Equal(KeyAdmissionStatus.RateLimited, decision.Status);
        Assert.Equal(QuotaRefusalType.Throttling, decision.Quota?.RefusalType);
        Assert.Equal(QuotaRateLimitType.Requests, decision.Quota?.RateLimitType);
    }

    [Fact]
    public async Task RegenerateKey_RequestInFlight_ItsSettlementUnderTheOldKeyCountsOnTheNewKey()
    {
        var old = await Registry.CreatedKey(Key() with { Limits = QuotaLimits.None with { MaxBudget = 1m } });
        var request = AdmissionKeyTestData.Request(old);
        var admitted = await Admission.AdmitKey(request);
        Assert.Equal(KeyAdmissionStatus.Admitted, admitted.Status);
        var renewed = Key() with { Limits = old.Limits };

        Assert.True((await Registry.RegenerateKey(old.Token, renewed, Admin)).IsOk);
        // The gateway settles with the subjects it was admitted under: the old key's.
        await Admission.Settle(new AdmissionSettlement(request.ReservationId, admitted.SubjectKeys, 10, 2m));
        await Quota(renewed).StatusWhen(s => s.Spend == 2m);
        fixture.Time.Advance(DefinitionCache.Lifetime);
        var decision = await Admission.AdmitKey(AdmissionKeyTestData.Request(renewed));

        Assert.Equal(KeyAdmissionStatus.RateLimited, decision.Status);
        Assert.Equal(QuotaRefusalType.BudgetExceeded, decision.Quota?.RefusalType);
    }

    private IQuotaGrain Quota(KeyDefinition key) => fixture.Grains.GetGrain<IQuotaGrain>(QuotaSubjects.Key(key.Token));

    // Spend made through the request path: admitted, then settled at its real cost.
    private async Task Spend(KeyDefinition key, decimal cost)
    {
        var request = AdmissionKeyTestData.Request(key);
        var admitted = await Admission.AdmitKey(request);
        Assert.Equal(KeyAdmissionStatus.Admitted, admitted.Status);
        await Admission.Settle(new AdmissionSettlement(request.ReservationId, admitted.SubjectKeys, 10, cost));
        await Quota(key).StatusWhen(s => s.Spend == cost && s.InFlight == 0);
    }
}
