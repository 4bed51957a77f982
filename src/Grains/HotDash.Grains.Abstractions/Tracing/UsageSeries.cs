namespace HotDash.Grains;

/// <summary>Totals over a time range and the same split into buckets (only buckets with requests, oldest first).</summary>
[GenerateSerializer, Immutable, Alias("hotdash.UsageSeries")]
public sealed record UsageSeries([property: Id(0)] UsageTotals Totals, [property: Id(1)] ImmutableArray<UsageBucket> Buckets)
{
    /// <summary>Nothing in the range.</summary>
    public static UsageSeries Empty { get; } = new(UsageTotals.Empty, []);
}
