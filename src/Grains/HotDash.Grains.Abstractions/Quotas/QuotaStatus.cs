namespace HotDash.Grains;

/// <summary>A subject's quota as it stands (for admin and info endpoints).</summary>
/// <param name="Subject">The grain key (<c>team:ID</c>, <c>key:HASH</c>, <c>user:ID</c>).</param>
/// <param name="Spend">Settled spend (USD) in the current budget period; 0 once the period has ended.</param>
/// <param name="BudgetPeriodStart">When the current budget period started; <see langword="null"/> before the first use or once it has ended.</param>
/// <param name="BudgetResetAt">When the current budget period ends; <see langword="null"/> without <c>budget_duration</c>.</param>
/// <param name="RequestsInWindow">Requests admitted in the last 60 s.</param>
/// <param name="TokensInWindow">Settled tokens of requests admitted in the last 60 s.</param>
/// <param name="InFlight">Reservations not yet settled, released or expired.</param>
/// <param name="ReservedTokens">Estimated tokens those reservations hold.</param>
/// <param name="ReservedCost">Estimated cost (USD) those reservations hold.</param>
/// <param name="Models">Per-model counters, by model name.</param>
[GenerateSerializer, Alias("hotdash.QuotaStatus")]
public sealed record QuotaStatus(
    [property: Id(0)] string Subject,
    [property: Id(1)] decimal Spend,
    [property: Id(2)] DateTimeOffset? BudgetPeriodStart,
    [property: Id(3)] DateTimeOffset? BudgetResetAt,
    [property: Id(4)] long RequestsInWindow,
    [property: Id(5)] long TokensInWindow,
    [property: Id(6)] int InFlight,
    [property: Id(7)] long ReservedTokens,
    [property: Id(8)] decimal ReservedCost,
    [property: Id(9)] ImmutableDictionary<string, QuotaModelStatus> Models);
