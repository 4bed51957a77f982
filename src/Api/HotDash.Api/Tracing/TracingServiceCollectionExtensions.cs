using HotDash.Api.Providers;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Tracing;

/// <summary>Registers gateway tracing (<c>hotdash.tracing</c>).</summary>
internal static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// The recorder the request path uses; with tracing on, also the shipper (a hosted service). Register after the
    /// cluster client: hosted services stop in reverse order, so the shipper flushes while the client is still up.
    /// </summary>
    public static IServiceCollection AddHotDashTracing(this IServiceCollection services, HotDashConfig config)
    {
        var tracing = config.HotDash.Tracing;
        if (!tracing.Enabled)
        {
            services.AddSingleton(sp => new TraceRecorder(null, sp.GetRequiredService<TimeProvider>()));
            return services;
        }
        services.AddSingleton<ITraceSender>(sp => new ClusterTraceSender(sp.GetRequiredService<IClusterClient>()));
        services.AddSingleton(sp => new TraceEventBuilder(tracing.ProjectId, config.LiteLlmSettings.TurnOffMessageLogging, sp.GetRequiredService<TokenCounter>(), tracing.Environment));
        services.AddSingleton(sp => new TraceShipper(
            TraceShipper.SettingsFor(tracing),
            sp.GetRequiredService<ITraceSender>(),
            sp.GetRequiredService<TraceEventBuilder>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TraceShipper>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TraceShipper>());
        services.AddSingleton(sp => new TraceRecorder(sp.GetRequiredService<TraceShipper>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
