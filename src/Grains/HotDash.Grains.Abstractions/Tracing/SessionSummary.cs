namespace HotDash.Grains;

/// <summary>A session: its id, its first trace's time and environment.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.SessionSummary")]
public sealed record SessionSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string ProjectId,
    [property: Id(2)] long CreatedAtMs,
    [property: Id(3)] string Environment);
