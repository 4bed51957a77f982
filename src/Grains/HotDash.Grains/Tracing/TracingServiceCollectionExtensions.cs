using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Tracing;

/// <summary>Registers the silo side of trace ingestion.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TracingPipelineOptions"/> (validated at start) for the aggregator, writer and rollup grains.
    /// The grains also need an <c>IAnalyticsStore</c> and an <c>IEventArchive</c> singleton, which the silo registers
    /// from its configuration, and the <c>hotdash</c> grain storage.
    /// </summary>
    public static IServiceCollection AddHotDashTracingPipeline(this IServiceCollection services, Action<TracingPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TracingPipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TracingPipelineOptions>, TracingPipelineOptionsValidator>());
        options.ValidateOnStart();
        return services;
    }
}
