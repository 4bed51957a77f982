using HotDash.Grains.Tests.Quotas;

namespace HotDash.Grains.Tests.Admission;

/// <summary>Builders for admission requests over fresh key and team subjects.</summary>
internal static class AdmissionTestData
{
    public static IAdmissionGrain Admission(this IGrainFactory grains) => grains.GetGrain<IAdmissionGrain>(IAdmissionGrain.DefaultKey);

    public static QuotaSubject NewKey(QuotaLimits limits) => new(QuotaSubjects.Key(TestData.UniqueId("hash")), limits);

    public static QuotaSubject NewTeam(QuotaLimits limits) => new(QuotaSubjects.Team(TestData.UniqueId("team")), limits);

    public static AdmissionRequest Request(long tokens = 0, decimal cost = 0m, params QuotaSubject[] subjects) =>
        new(TestData.UniqueId("call"), QuotaTestData.Model, tokens, cost, [.. subjects]);

    public static ImmutableArray<string> Keys(AdmissionRequest request)
    {
        var keys = ImmutableArray.CreateBuilder<string>(request.Subjects.Length);
        foreach (var subject in request.Subjects)
        {
            keys.Add(subject.Key);
        }
        return keys.MoveToImmutable();
    }

    public static IQuotaGrain Quota(this IGrainFactory grains, QuotaSubject subject) => grains.GetGrain<IQuotaGrain>(subject.Key);
}
