namespace HotDash.Grains;

/// <summary>
/// The cache of one prompt (key: the cache key, <see cref="CacheEntry.Key"/>): reads and writes its entry in the
/// silo's cache store (Redis when configured, else bounded silo memory) and coalesces identical calls: while one
/// caller (the leader) is upstream, the others follow it and get its answer, streamed chunks as they arrive.
/// </summary>
public interface ICacheGrain : IGrainWithStringKey
{
    /// <summary>
    /// A stored, unexpired entry (younger than <see cref="CacheLookupRequest.MaxAgeMs"/>) is a hit; else, with
    /// <see cref="CacheLookupRequest.Coalesce"/>, the first caller leads and later ones follow until the leader
    /// completes; without it, a miss.
    /// </summary>
    Task<CacheLookup> Lookup(CacheLookupRequest request);

    /// <summary>
    /// A follower's long poll: returns as soon as there are chunks from <paramref name="fromChunk"/> on, the leader
    /// completed or failed, or <paramref name="wait"/> passed (then <see cref="CacheFollowState.Pending"/> with no chunks).
    /// A leader silent for longer than its lease allows counts as failed.
    /// </summary>
    [AlwaysInterleave]
    Task<CacheFollowResult> Follow(int fromChunk, TimeSpan wait);

    /// <summary>The leader's stream chunks, in order, as they go to its own client.</summary>
    Task Append(string leaseId, ImmutableArray<byte[]> chunks);

    /// <summary>
    /// The leader is done: <paramref name="entry"/> is its whole answer (stored per <paramref name="policy"/> and given to
    /// followers), or null when its call failed or its client left (followers are told to ask upstream themselves).
    /// A stale lease (another leader took over) is ignored.
    /// </summary>
    Task Complete(string leaseId, CacheEntry? entry, CacheStorePolicy policy);

    /// <summary>
    /// Stores an answer got without a lease (a <c>no-cache</c> call, or coalescing turned off) per <paramref name="policy"/>;
    /// followers of a leader in flight are not affected.
    /// </summary>
    Task Store(CacheEntry entry, CacheStorePolicy policy);

    /// <summary>Deletes the stored entry; true when there was one.</summary>
    Task<bool> Delete();
}
