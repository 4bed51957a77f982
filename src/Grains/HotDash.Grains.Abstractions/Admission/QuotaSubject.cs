namespace HotDash.Grains;

/// <summary>One quota a request is subject to.</summary>
/// <param name="Key">The quota grain key (<see cref="QuotaSubjects"/>: <c>key:HASH</c>, <c>team:ID</c>, <c>user:ID</c>).</param>
/// <param name="Limits">The subject's limits as its definition stands now.</param>
[GenerateSerializer, Alias("hotdash.QuotaSubject")]
public sealed record QuotaSubject(
    [property: Id(0)] string Key,
    [property: Id(1)] QuotaLimits Limits);
