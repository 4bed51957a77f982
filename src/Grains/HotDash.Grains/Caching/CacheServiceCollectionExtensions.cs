using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace HotDash.Grains.Caching;

/// <summary>Registers the silo side of the exact cache.</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CacheStoreOptions"/> (validated at start), the silo's <see cref="ICacheStore"/> by
    /// <see cref="CacheStoreOptions.Kind"/> (<see cref="RedisCacheStore"/> or <see cref="MemoryCacheStore"/>, one per silo,
    /// disposed with the container) and the placement that lets <see cref="CacheAdminGrain"/> reach every silo's store.
    /// The grains also need a <see cref="TimeProvider"/> (registered here as the system clock unless one is).
    /// </summary>
    public static IServiceCollection AddHotDashCache(this IServiceCollection services, Action<CacheStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CacheStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheStoreOptions>, CacheStoreOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemoryCacheStore>();
        services.TryAddSingleton<RedisCacheStore>();
        services.TryAddSingleton<ICacheStore>(sp => sp.GetRequiredService<IOptions<CacheStoreOptions>>().Value.Kind == CacheStoreKind.Redis
            ? sp.GetRequiredService<RedisCacheStore>()
            : sp.GetRequiredService<MemoryCacheStore>());
        services.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        return services;
    }
}
