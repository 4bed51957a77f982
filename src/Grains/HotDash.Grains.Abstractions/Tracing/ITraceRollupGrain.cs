namespace HotDash.Grains;

/// <summary>
/// Per-minute request rollups for one subject (key: <see cref="RollupSubjects"/>: <c>all</c>, <c>team:ID</c>,
/// <c>model:GROUP</c>), for live dashboards without an analytics query per refresh. Fed by the trace aggregators from
/// the gateway's generations; keeps the last 24 hours of minutes.
/// </summary>
public interface ITraceRollupGrain : IGrainWithStringKey
{
    /// <summary>Adds per-minute deltas (one-way: a lost delta costs a dashboard number, never a request).</summary>
    [OneWay]
    Task Add(ImmutableArray<RollupDelta> deltas);

    /// <summary>The minutes from <paramref name="fromMinuteMs"/> on (epoch ms of the minute's start), oldest first, only minutes with requests.</summary>
    Task<ImmutableArray<RollupMinute>> GetMinutes(long fromMinuteMs);

    /// <summary>
    /// The minutes in [<paramref name="fromMs"/>, <paramref name="toMs"/>) added up, and split into buckets of
    /// <paramref name="bucketMs"/> (rounded up to whole minutes); percentiles from the merged latency histograms.
    /// </summary>
    Task<UsageSeries> Summarize(long fromMs, long toMs, long bucketMs);
}
