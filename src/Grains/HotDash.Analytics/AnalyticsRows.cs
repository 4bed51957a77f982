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

    /// <summary>
    /// Every row was made only from events that say their entity is new (<see cref="TraceEvent.NewEntity"/>, the
    /// gateway's traces and generations), so none should have a stored copy: a store may append them without looking
    /// for one. It must still keep its upsert rule when one exists (a batch written twice).
    /// </summary>
    public bool AllNew { get; init; }

    /// <summary>How many rows in all.</summary>
    public int Count => Traces.Length + Observations.Length + Scores.Length;
}
