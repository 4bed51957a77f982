using HotDash.Grains;

namespace HotDash.Api.Caching;

/// <summary>
/// One cacheable call's cache decision (<see cref="CacheGate.TryPlan"/>) and, as it goes, what it became: the leader of
/// its prompt, a plain miss that stores its answer after, or nothing more to do (a hit, a follower, the cluster gone).
/// </summary>
internal sealed class CachePlan
{
    /// <summary>The exact cache key (<c>x-litellm-cache-key</c>).</summary>
    public required string Key { get; init; }

    /// <summary>The request's (and its key's) cache controls.</summary>
    public required CacheControls Controls { get; init; }

    /// <summary>The key's namespace (the request's, else <c>cache_params.namespace</c>); null: none.</summary>
    public string? Namespace { get; init; }

    /// <summary>How long the answer is kept (ms): the request's or key's <c>ttl</c>, else <c>cache_params.ttl</c>; null: no expiry.</summary>
    public long? TtlMs { get; init; }

    /// <summary>The cache is read (no <c>no-cache</c>): a stored answer can be the hit, and identical calls coalesce.</summary>
    public bool Read => !Controls.NoCache;

    /// <summary>The answer is stored (no <c>no-store</c>).</summary>
    public bool Store => !Controls.NoStore;

    /// <summary>Only an entry younger than this is a hit (<c>s-maxage</c>, ms); null: any age.</summary>
    public long? MaxAgeMs => Controls.SMaxAge is { } age ? (long)age.TotalMilliseconds : null;

    /// <summary>What the call does with the cache after its upstream call.</summary>
    public CacheRole Role { get; set; }

    /// <summary>The lease of a leader (<see cref="CacheRole.Lead"/>).</summary>
    public string? LeaseId { get; set; }

    /// <summary>
    /// A leader answered from the semantic cache: the answer its followers get (under this call's key, not stored: it
    /// was not asked for with this exact prompt).
    /// </summary>
    public CacheEntry? SharedEntry { get; set; }

    /// <summary>The prompt's embedding (semantic cache), to index a stored answer under.</summary>
    public float[]? Embedding { get; set; }

    /// <summary>The semantic index this call searched (<see cref="ISemanticIndexGrain.KeyOf"/>), or null.</summary>
    public string? IndexKey { get; set; }

    /// <summary>The policy the answer is kept by.</summary>
    public CacheStorePolicy Policy => new(Store, TtlMs);
}
