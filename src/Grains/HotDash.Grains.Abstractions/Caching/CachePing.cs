namespace HotDash.Grains;

/// <summary>The cache store's health, for <c>/cache/ping</c>.</summary>
/// <param name="Type">The store: <c>redis</c> or <c>local</c> (silo memory).</param>
/// <param name="Healthy">It answered.</param>
/// <param name="Error">Why not, when unhealthy.</param>
/// <param name="Entries">Entries held (local store; null for Redis).</param>
/// <param name="Bytes">Bytes held (local store; null for Redis).</param>
[GenerateSerializer, Immutable, Alias("hotdash.CachePing")]
public sealed record CachePing(
    [property: Id(0)] string Type,
    [property: Id(1)] bool Healthy,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] long? Entries = null,
    [property: Id(4)] long? Bytes = null);
