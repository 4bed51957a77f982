using HotDash.Grains.Caching;
using HotDash.Hosting.Configuration;

namespace HotDash.Silo.Hosting;

/// <summary>
/// Registers the exact cache's store in the silo from the config: Redis (the same server clustering uses) when the cache
/// is on with <c>cache_params.type</c> <c>redis</c> or <c>redis-semantic</c>, else each silo's bounded memory
/// (<c>hotdash.cache.memory_bytes</c>), with the <c>hotdash.cache.max_entry_bytes</c> cap either way.
/// </summary>
public static class CachingHostingExtensions
{
    /// <summary>
    /// Adds the cache store and the cache grains' services (<see cref="CacheServiceCollectionExtensions.AddHotDashCache"/>)
    /// and the semantic index grains' options (<see cref="SemanticIndexServiceCollectionExtensions.AddHotDashSemanticIndex"/>).
    /// </summary>
    public static IServiceCollection AddHotDashCaching(this IServiceCollection services, HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cache = config.Cache;
        var redis = cache.UsesRedis ? config.Infrastructure.RedisConnectionString : null;
        services.AddHotDashSemanticIndex();
        return services.AddHotDashCache(o =>
        {
            o.Kind = redis is null ? CacheStoreKind.Local : CacheStoreKind.Redis;
            o.RedisConfiguration = redis;
            o.MaxEntryBytes = cache.MaxEntryBytes;
            o.MemoryBytes = cache.MemoryBytes;
        });
    }
}
