namespace HotDash.Grains;

/// <summary>One page of sessions and the total.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.SessionPage")]
public sealed record SessionPage([property: Id(0)] ImmutableArray<SessionSummary> Items, [property: Id(1)] long TotalItems);
