namespace HotDash.Grains;

/// <summary>One model's counters inside a subject's quota (kept only for models that have <c>model_*</c> limits).</summary>
[GenerateSerializer, Alias("hotdash.QuotaModelStatus")]
public sealed record QuotaModelStatus(
    [property: Id(0)] long RequestsInWindow,
    [property: Id(1)] long TokensInWindow,
    [property: Id(2)] int InFlight,
    [property: Id(3)] long ReservedTokens,
    [property: Id(4)] decimal ReservedCost,
    [property: Id(5)] decimal Spend,
    [property: Id(6)] DateTimeOffset? BudgetResetAt);
