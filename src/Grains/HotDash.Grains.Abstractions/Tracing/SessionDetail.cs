namespace HotDash.Grains;

/// <summary><c>GET /api/public/sessions/{id}</c>: the session and its traces (oldest first).</summary>
[GenerateSerializer, Immutable, Alias("hotdash.SessionDetail")]
public sealed record SessionDetail([property: Id(0)] SessionSummary Session, [property: Id(1)] ImmutableArray<TraceRecord> Traces);
