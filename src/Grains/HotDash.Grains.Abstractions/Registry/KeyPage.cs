namespace HotDash.Grains;

/// <summary>One page of keys, newest first, and how many keys match in all.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.KeyPage")]
public sealed record KeyPage(
    [property: Id(0)] ImmutableArray<KeyDefinition> Keys,
    [property: Id(1)] int TotalCount);
