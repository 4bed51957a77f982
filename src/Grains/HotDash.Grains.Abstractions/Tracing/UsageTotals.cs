namespace HotDash.Grains;

/// <summary>What some gateway requests (generations) added up to.</summary>
/// <param name="Requests">Requests (generations).</param>
/// <param name="Errors">Those at level <c>ERROR</c>.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">Cost, USD.</param>
/// <param name="CacheHits">Those answered from the cache.</param>
/// <param name="LatencyP50Ms">Median latency (end minus start), ms; 0 without requests.</param>
/// <param name="LatencyP95Ms">95th percentile latency, ms.</param>
/// <param name="LatencyP99Ms">99th percentile latency, ms.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UsageTotals")]
public sealed record UsageTotals(
    [property: Id(0)] long Requests,
    [property: Id(1)] long Errors,
    [property: Id(2)] long InputTokens,
    [property: Id(3)] long OutputTokens,
    [property: Id(4)] decimal Cost,
    [property: Id(5)] long CacheHits,
    [property: Id(6)] double LatencyP50Ms,
    [property: Id(7)] double LatencyP95Ms,
    [property: Id(8)] double LatencyP99Ms)
{
    /// <summary>No requests.</summary>
    public static UsageTotals Empty { get; } = new(0, 0, 0, 0, 0m, 0, 0, 0, 0);

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Cache hits over requests (0..1); 0 without requests.</summary>
    public double CacheHitRate => Requests == 0 ? 0 : (double)CacheHits / Requests;

    /// <summary>Errors over requests (0..1); 0 without requests.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
}
