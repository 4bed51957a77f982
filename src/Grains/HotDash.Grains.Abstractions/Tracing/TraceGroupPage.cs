namespace HotDash.Grains;

/// <summary>One page of sessions or users and how many match.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.TraceGroupPage")]
public sealed record TraceGroupPage([property: Id(0)] ImmutableArray<TraceGroupTotals> Items, [property: Id(1)] long TotalItems);
