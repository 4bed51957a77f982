namespace HotDash.Grains.Caching;

/// <summary>The cache store and the cache grains' limits (registered by <see cref="CacheServiceCollectionExtensions.AddHotDashCache"/>).</summary>
public sealed class CacheStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "hotdash:cache:";

    /// <summary>The default <see cref="MaxEntryBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxEntryBytes = 1L << 20;

    /// <summary>The default <see cref="MemoryBytes"/>: 256 MiB.</summary>
    public const long DefaultMemoryBytes = 256L << 20;

    /// <summary>Redis or silo memory.</summary>
    public CacheStoreKind Kind { get; set; } = CacheStoreKind.Local;

    /// <summary>The StackExchange.Redis connection string (required with <see cref="CacheStoreKind.Redis"/>).</summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>Prefix of every Redis key the cache writes; a flush deletes only keys under it.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// The largest answer kept (<see cref="CacheEntry.SizeBytes"/>); bigger ones are not stored, and a leader whose
    /// streamed chunks pass it stops sharing them (its followers ask upstream themselves).
    /// </summary>
    public long MaxEntryBytes { get; set; } = DefaultMaxEntryBytes;

    /// <summary>The memory store's budget per silo (entries plus an estimate of their bookkeeping); least recently used go first.</summary>
    public long MemoryBytes { get; set; } = DefaultMemoryBytes;

    /// <summary>How long a leader's whole call may take before its followers give up on it and a new caller may lead.</summary>
    public TimeSpan FollowerLeaseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a streaming leader (one that has appended chunks) may go without appending before it counts as failed.</summary>
    public TimeSpan StreamingLeaseTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
