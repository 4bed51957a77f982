namespace HotDash.Grains.Tracing;

/// <summary>The persisted state of one <see cref="TraceRollupGrain"/> (storage <c>hotdash</c>, state name <c>rollup</c>).</summary>
[GenerateSerializer, Alias("hotdash.TraceRollupState")]
public sealed class TraceRollupState
{
    /// <summary>The minutes of the last 24 hours that have requests, by the minute's start (epoch ms).</summary>
    [Id(0)] public Dictionary<long, RollupBucket> Minutes { get; set; } = [];
}
