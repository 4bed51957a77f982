namespace HotDash.Grains;

/// <summary>One minute of one subject's requests.</summary>
/// <param name="MinuteMs">The minute's start, epoch ms.</param>
/// <param name="Requests">Requests.</param>
/// <param name="Errors">Failed requests.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">Cost in USD.</param>
/// <param name="CacheHits">Cache hits.</param>
/// <param name="LatencyP50Ms">Median latency (histogram estimate, ms).</param>
/// <param name="LatencyP95Ms">95th percentile latency (ms).</param>
/// <param name="LatencyP99Ms">99th percentile latency (ms).</param>
[GenerateSerializer, Immutable, Alias("hotdash.RollupMinute")]
public sealed record RollupMinute(
    [property: Id(0)] long MinuteMs,
    [property: Id(1)] long Requests,
    [property: Id(2)] long Errors,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] decimal Cost,
    [property: Id(6)] long CacheHits,
    [property: Id(7)] double LatencyP50Ms,
    [property: Id(8)] double LatencyP95Ms,
    [property: Id(9)] double LatencyP99Ms);
