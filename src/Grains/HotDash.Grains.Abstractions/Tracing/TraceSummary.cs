namespace HotDash.Grains;

/// <summary>A trace with what Langfuse's trace list computes from its observations and scores.</summary>
/// <param name="Trace">The stored trace.</param>
/// <param name="ObservationIds">Its observations' ids.</param>
/// <param name="ScoreIds">Its scores' ids.</param>
/// <param name="LatencySeconds">Latest observation end (or start) minus earliest observation start, seconds; 0 without observations.</param>
/// <param name="TotalCost">Sum of its observations' total cost, USD.</param>
[GenerateSerializer, Immutable, Alias("hotdash.TraceSummary")]
public sealed record TraceSummary(
    [property: Id(0)] TraceRecord Trace,
    [property: Id(1)] ImmutableArray<string> ObservationIds,
    [property: Id(2)] ImmutableArray<string> ScoreIds,
    [property: Id(3)] double LatencySeconds,
    [property: Id(4)] decimal TotalCost)
{
    /// <summary>Its worst observation level (see <see cref="TraceQuery.Levels"/>); <c>DEFAULT</c> without observations.</summary>
    [Id(5)] public string Level { get; init; } = "DEFAULT";

    /// <summary>Sum of its observations' total tokens (usage <c>total</c>, else input + output).</summary>
    [Id(6)] public long TotalTokens { get; init; }
}
