namespace HotDash.Grains;

/// <summary>The real usage of an admitted request, for every subject it was reserved on.</summary>
/// <param name="ReservationId">The call id the request was admitted under.</param>
/// <param name="SubjectKeys">The quota grain keys of the request's subjects.</param>
/// <param name="ActualTokens">Tokens the request really used.</param>
/// <param name="ActualCost">What the request really cost (USD).</param>
[GenerateSerializer, Alias("hotdash.AdmissionSettlement")]
public sealed record AdmissionSettlement(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] ImmutableArray<string> SubjectKeys,
    [property: Id(2)] long ActualTokens,
    [property: Id(3)] decimal ActualCost);
