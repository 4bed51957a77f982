namespace HotDash.Grains;

/// <summary>One page of scores and the total matching the filters.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.ScorePage")]
public sealed record ScorePage([property: Id(0)] ImmutableArray<ScoreRecord> Items, [property: Id(1)] long TotalItems);
