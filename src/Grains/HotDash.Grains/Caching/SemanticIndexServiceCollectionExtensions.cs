using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Caching;

/// <summary>Registers the silo side of the semantic cache's vector index.</summary>
public static class SemanticIndexServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SemanticIndexOptions"/> (validated at start) for <see cref="SemanticIndexGrain"/>. Without
    /// this the grain runs on the defaults. The grain also needs the <c>hotdash</c> grain storage.
    /// </summary>
    public static IServiceCollection AddHotDashSemanticIndex(this IServiceCollection services, Action<SemanticIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SemanticIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SemanticIndexOptions>, SemanticIndexOptionsValidator>());
        options.ValidateOnStart();
        return services;
    }
}
