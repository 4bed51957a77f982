namespace HotDash.Api.Caching;

/// <summary>
/// A request's cache controls in LiteLLM's form (<c>cache: {...}</c> in the body, else in the key's metadata), see
/// <see cref="CacheControlParser"/>. The default value means "no controls".
/// </summary>
/// <param name="NoCache"><c>no-cache</c>: never answer from the cache (nor coalesce); the answer is still stored unless <paramref name="NoStore"/>.</param>
/// <param name="NoStore"><c>no-store</c>: do not store this answer.</param>
/// <param name="UseCache"><c>use-cache</c>: true opts in under <c>mode: default_off</c>; false opts out; null when not given.</param>
/// <param name="Ttl"><c>ttl</c>: how long this answer is kept, instead of <c>cache_params.ttl</c>.</param>
/// <param name="SMaxAge"><c>s-maxage</c>: only an entry younger than this is a hit.</param>
/// <param name="Namespace"><c>namespace</c>: the key prefix instead of <c>cache_params.namespace</c> (empty: none).</param>
internal readonly record struct CacheControls(
    bool NoCache = false,
    bool NoStore = false,
    bool? UseCache = null,
    TimeSpan? Ttl = null,
    TimeSpan? SMaxAge = null,
    string? Namespace = null);
