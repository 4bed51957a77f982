using HotDash.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace HotDash.Hosting.Orleans;

/// <summary>Connects a gateway or dashboard process to the HotDash cluster as an Orleans client.</summary>
public static class HotDashClientExtensions
{
    /// <summary>
    /// Adds the Orleans client: Redis clustering when Redis is configured, else localhost clustering on
    /// the configured gateway port. The client keeps retrying until the silo is reachable, and
    /// <see cref="ClusterConnection"/> tells whether it is connected now.
    /// </summary>
    public static IHostApplicationBuilder AddHotDashClusterClient(this IHostApplicationBuilder builder, HotDashConfig config)
    {
        // The client's start waits until a silo answers, and hosted services start in order with Kestrel last:
        // started together, the process serves (readiness says "cluster unreachable") while the silo is down.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterConnection>());
        // While the silo is away the client logs every reconnect attempt with a stack trace; ClusterConnection logs the change once.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging.ConnectionManager", LogLevel.Error)
            .AddFilter("Orleans.Messaging.GatewayManager", LogLevel.Error)
            .AddFilter("Orleans.Runtime.ClientClusterManifestProvider", LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            var redis = config.Infrastructure.RedisConnectionString;
            if (redis is null)
            {
                client.UseLocalhostClustering(config.HotDash.OrleansGatewayPort, config.HotDash.ServiceId, config.HotDash.ClusterId);
            }
            else
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = config.HotDash.ClusterId;
                    o.ServiceId = config.HotDash.ServiceId;
                });
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                // A restarted silo shows up in Redis within seconds; look again often.
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            }

            client.Services.AddSingleton<IClientConnectionRetryFilter, RetryForeverFilter>();
        });
        return builder;
    }
}
