namespace HotDash.Grains;

/// <summary>What some requests added to one minute.</summary>
/// <param name="MinuteMs">The minute's start, epoch ms (a multiple of 60,000).</param>
/// <param name="Requests">Requests.</param>
/// <param name="Errors">Requests that failed (level <c>ERROR</c>).</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">Cost in USD.</param>
/// <param name="CacheHits">Requests answered from the cache.</param>
/// <param name="LatencyHistogram">Request counts per <see cref="LatencyHistogram"/> bucket (length <see cref="LatencyHistogram.BucketCount"/>).</param>
[GenerateSerializer, Immutable, Alias("hotdash.RollupDelta")]
public sealed record RollupDelta(
    [property: Id(0)] long MinuteMs,
    [property: Id(1)] long Requests,
    [property: Id(2)] long Errors,
    [property: Id(3)] long InputTokens,
    [property: Id(4)] long OutputTokens,
    [property: Id(5)] decimal Cost,
    [property: Id(6)] long CacheHits,
    [property: Id(7)] ImmutableArray<int> LatencyHistogram);
