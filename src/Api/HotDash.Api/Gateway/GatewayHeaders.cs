namespace HotDash.Api.Gateway;

/// <summary>The response headers LiteLLM sends, which clients and scripts read.</summary>
internal static class GatewayHeaders
{
    public const string CallId = "x-litellm-call-id";
    public const string ModelId = "x-litellm-model-id";
    public const string ModelApiBase = "x-litellm-model-api-base";
    public const string ResponseDuration = "x-litellm-response-duration-ms";
    public const string OverheadDuration = "x-litellm-overhead-duration-ms";
    public const string ModelGroup = "x-litellm-model-group";
    public const string ResponseCost = "x-litellm-response-cost";
    public const string AttemptedRetries = "x-litellm-attempted-retries";
    public const string KeySpend = "x-litellm-key-spend";
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";

    /// <summary>The exact cache key of a cacheable answer (LiteLLM's header; <c>/cache/delete</c> takes it).</summary>
    public const string CacheKey = "x-litellm-cache-key";

    /// <summary>The cosine similarity of a semantic cache hit (LiteLLM's header).</summary>
    public const string SemanticSimilarity = "x-litellm-semantic-similarity";

    /// <summary>How the cache answered: <c>HIT</c>, <c>MISS</c> or <c>SEMANTIC-HIT</c>.</summary>
    public const string Cache = "x-hotdash-cache";

    /// <summary><c>true</c> when the answer was shared from an identical call in flight (request coalescing).</summary>
    public const string Coalesced = "x-hotdash-coalesced";

    /// <summary>Which limit refused a 429 (LiteLLM's rate limiter sends it as a header too).</summary>
    public const string RateLimitType = "rate_limit_type";
}
