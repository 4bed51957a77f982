using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// Merged rows to write. Every row is complete as merged (not a delta): the trace's <see cref="TraceRecord.TimestampMs"/>,
/// the observation's <see cref="ObservationRecord.StartTimeMs"/> and <see cref="ObservationRecord.TraceId"/>, the score's
/// <see cref="ScoreRecord.TimestampMs"/> and every row's <c>EventTsMs</c>, <c>CreatedAtMs</c>, <c>UpdatedAtMs</c> are set.
/// </summary>
public sealed record AnalyticsRows(
    ImmutableArray<TraceRecord> Traces,
    ImmutableArray<ObservationRecord> Observations,
    ImmutableArray<ScoreRecord> Scores)
{
    /// <summary>No rows.</summary>
    public static AnalyticsRows Empty { get; } = new([], [], []);

    /// <summary>How many rows in all.</summary>
    public int Count => Traces.Length + Observations.Length + Scores.Length;
}
