namespace HotDash.Hosting.Configuration;

/// <summary>The cache store HotDash supports, by LiteLLM's <c>litellm_settings.cache_params.type</c>.</summary>
public enum CacheType
{
    /// <summary><c>local</c> (LiteLLM's default): entries in bounded silo memory.</summary>
    Local = 0,

    /// <summary><c>redis</c>: entries in Redis, surviving silo restarts.</summary>
    Redis = 1,

    /// <summary><c>redis-semantic</c>: the Redis exact cache plus a semantic (embedding similarity) index.</summary>
    RedisSemantic = 2,
}
