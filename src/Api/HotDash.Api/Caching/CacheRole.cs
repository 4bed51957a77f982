namespace HotDash.Api.Caching;

/// <summary>What a cacheable call owes the cache once its upstream call ended.</summary>
internal enum CacheRole
{
    /// <summary>Nothing: answered from the cache, or the cache could not be reached.</summary>
    None = 0,

    /// <summary>It leads its prompt: <see cref="HotDash.Grains.ICacheGrain.Complete"/> with its answer (or null) is due.</summary>
    Lead = 1,

    /// <summary>A miss without a lease (<c>no-cache</c>, coalescing off, a follower whose leader failed): store the answer.</summary>
    Store = 2,
}
