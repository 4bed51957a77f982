namespace HotDash.Grains;

/// <summary>One page of observations and the total matching the filters.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.ObservationPage")]
public sealed record ObservationPage([property: Id(0)] ImmutableArray<ObservationRecord> Items, [property: Id(1)] long TotalItems);
