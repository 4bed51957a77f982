namespace HotDash.Grains;

/// <summary>One page of days and the total number of days.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.DailyMetricsPage")]
public sealed record DailyMetricsPage([property: Id(0)] ImmutableArray<DailyMetric> Items, [property: Id(1)] long TotalItems);
