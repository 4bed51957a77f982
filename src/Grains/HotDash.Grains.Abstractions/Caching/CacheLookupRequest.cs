namespace HotDash.Grains;

/// <summary>A gateway's question to a prompt's cache grain.</summary>
/// <param name="CallId">The asking call's id (<c>x-litellm-call-id</c>): it names the lease when the caller becomes the leader.</param>
/// <param name="Coalesce">Wait for an identical call in flight instead of asking upstream too (off with <c>no-cache</c>).</param>
/// <param name="MaxAgeMs">LiteLLM's <c>s-maxage</c>: only an entry younger than this is a hit; null: any age.</param>
/// <param name="NowMs">The gateway's clock (Unix epoch ms), so expiry is judged on one clock in tests.</param>
[GenerateSerializer, Immutable, Alias("hotdash.CacheLookupRequest")]
public sealed record CacheLookupRequest(
    [property: Id(0)] string CallId,
    [property: Id(1)] bool Coalesce,
    [property: Id(2)] long? MaxAgeMs,
    [property: Id(3)] long NowMs);
