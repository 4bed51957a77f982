namespace HotDash.Grains;

/// <summary><c>GET /api/public/traces/{id}</c>: the trace with its observations (by start time) and scores.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.TraceDetail")]
public sealed record TraceDetail(
    [property: Id(0)] TraceSummary Summary,
    [property: Id(1)] ImmutableArray<ObservationRecord> Observations,
    [property: Id(2)] ImmutableArray<ScoreRecord> Scores);
