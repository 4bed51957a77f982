namespace HotDash.Grains;

/// <summary>The real usage of an admitted request; replaces the reservation's estimates.</summary>
/// <param name="ReservationId">The call id the request was reserved under.</param>
/// <param name="ActualTokens">Tokens the request really used (as counted for <c>token_rate_limit_type</c>).</param>
/// <param name="ActualCost">What the request really cost (USD).</param>
[GenerateSerializer, Alias("hotdash.QuotaSettlement")]
public sealed record QuotaSettlement(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] long ActualTokens,
    [property: Id(2)] decimal ActualCost);
