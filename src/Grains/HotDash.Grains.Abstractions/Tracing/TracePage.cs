namespace HotDash.Grains;

/// <summary>One page of traces and the total matching the filters.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.TracePage")]
public sealed record TracePage([property: Id(0)] ImmutableArray<TraceSummary> Items, [property: Id(1)] long TotalItems);
