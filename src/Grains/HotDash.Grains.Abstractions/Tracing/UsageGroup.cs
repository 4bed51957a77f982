namespace HotDash.Grains;

/// <summary>The usage of one model group, team, user or key.</summary>
/// <param name="Name">The model group, team id, user id or key alias; empty for requests without one.</param>
/// <param name="Totals">Its requests.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UsageGroup")]
public sealed record UsageGroup([property: Id(0)] string Name, [property: Id(1)] UsageTotals Totals);
