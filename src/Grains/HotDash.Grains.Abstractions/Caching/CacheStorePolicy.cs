namespace HotDash.Grains;

/// <summary>How the leader's answer is kept.</summary>
/// <param name="Store">Store it (false with <c>no-store</c>: followers still get it, nothing is kept).</param>
/// <param name="TtlMs">Time to live (ms): the request's <c>ttl</c>, else the key's, else <c>cache_params.ttl</c>; null: no expiry.</param>
[GenerateSerializer, Immutable, Alias("hotdash.CacheStorePolicy")]
public sealed record CacheStorePolicy(
    [property: Id(0)] bool Store,
    [property: Id(1)] long? TtlMs);
