namespace HotDash.Grains.Caching;

/// <summary>
/// Where the cache grains keep answers: Redis (<see cref="RedisCacheStore"/>, shared by the cluster) or the silo's bounded
/// memory (<see cref="MemoryCacheStore"/>, one per silo). One singleton per silo; thread-safe.
/// </summary>
public interface ICacheStore
{
    /// <summary><c>redis</c> or <c>local</c>, as <see cref="CachePing.Type"/> names it.</summary>
    string Type { get; }

    /// <summary>True when every silo sees the same entries (Redis); false when each silo holds its own (memory).</summary>
    bool IsShared { get; }

    /// <summary>The unexpired entry stored under <paramref name="key"/> (the cache key), or null.</summary>
    Task<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="entry"/> under its <see cref="CacheEntry.Key"/>, expiring at <see cref="CacheEntry.ExpiresMs"/>
    /// (null: no expiry). Returns false, storing nothing, when it is bigger than <see cref="CacheStoreOptions.MaxEntryBytes"/>
    /// or already expired.
    /// </summary>
    Task<bool> SetAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes the entries of these cache keys; returns how many existed.</summary>
    Task<int> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Deletes every cache entry of this store (Redis: every key under the prefix, nothing else).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the store answers, with its size when it is local.</summary>
    Task<CachePing> PingAsync(CancellationToken cancellationToken = default);
}
