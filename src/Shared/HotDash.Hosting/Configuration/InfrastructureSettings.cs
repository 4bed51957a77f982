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

    /// <summary>PostgreSQL connection as written (<c>general_settings.database_url</c> or <c>DATABASE_URL</c>).</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>
    /// <see cref="DatabaseUrl"/> as an Npgsql connection string, with its <c>host:port/db</c> for messages. Set: keys,
    /// teams, users and the spend ledger live in PostgreSQL (schema <see cref="HotDashSettings.DbSchema"/>).
    /// </summary>
    public DatabaseTarget? Database { get; init; }

    /// <summary>Where the database setting came from (<c>general_settings.database_url</c> or <c>DATABASE_URL</c>).</summary>
    public string? DatabaseSource { get; init; }
}
