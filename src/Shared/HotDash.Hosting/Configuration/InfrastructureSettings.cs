namespace HotDash.Hosting.Configuration;

/// <summary>Which real services the deployment uses; null means the embedded stand-in.</summary>
public sealed class InfrastructureSettings
{
    /// <summary>
    /// A StackExchange.Redis connection string, from <c>REDIS_URL</c>, <c>litellm_settings.cache_params</c>
    /// (<c>type: redis</c>) or <c>router_settings.redis_*</c>. Set: Redis clustering and grain storage.
    /// </summary>
    public string? RedisConnectionString { get; init; }

    /// <summary>Where the Redis setting came from, for the startup log (never the password).</summary>
    public string? RedisSource { get; init; }

    /// <summary>PostgreSQL connection (<c>general_settings.database_url</c> or <c>DATABASE_URL</c>).</summary>
    public string? DatabaseUrl { get; init; }
}
