namespace HotDash.Grains.Caching;

/// <summary>Where cache entries live.</summary>
public enum CacheStoreKind
{
    /// <summary>Bounded memory of each silo (<see cref="MemoryCacheStore"/>): the embedded default.</summary>
    Local = 0,

    /// <summary>Redis (<see cref="RedisCacheStore"/>): shared by every silo, survives silo restarts.</summary>
    Redis = 1,
}
