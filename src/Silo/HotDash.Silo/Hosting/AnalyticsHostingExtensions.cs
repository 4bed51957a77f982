using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotDash.Analytics;
using HotDash.Analytics.Archive;
using HotDash.Analytics.DuckDb;
using HotDash.Grains.Tracing;
using HotDash.Hosting.Configuration;
using HotDash.Silo.Health;
using Minio;

namespace HotDash.Silo.Hosting;

/// <summary>
/// Registers the trace pipeline's stores in the silo: the analytics store (ClickHouse when <c>clickhouse_url</c> is set,
/// else the embedded DuckDB file), the event archive (S3 through the Minio SDK when <c>s3_endpoint</c> is set, else a
/// local folder), the aggregator and writer grains' pipeline, the initializer that migrates and creates them, retention
/// and the readiness and metrics probes.
/// </summary>
public static class AnalyticsHostingExtensions
{
    /// <summary>The keyed <see cref="HttpClient"/> the ClickHouse store sends through.</summary>
    public const string ClickHouseHttpClient = "hotdash.clickhouse";

    /// <summary>Adds the analytics store, the archive, the tracing pipeline and their services.</summary>
    public static IServiceCollection AddHotDashAnalytics(this IServiceCollection services, HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var analytics = config.HotDash.Analytics;
        var archive = config.HotDash.Archive;
        var tracing = config.HotDash.Tracing;

        if (analytics.ClickHouseUrl is { } url)
        {
            // Registered by factories, not instances: the container disposes them at shutdown, after Orleans has stopped
            // (and the grains have flushed through them).
            services.AddKeyedSingleton(ClickHouseHttpClient, (_, _) => CreateClickHouseClient(analytics));
            services.AddSingleton(sp => new ClickHouseHttp(
                sp.GetRequiredKeyedService<HttpClient>(ClickHouseHttpClient), new Uri(url), analytics.ClickHouseDatabase));
            services.AddSingleton<IAnalyticsStore>(sp => new ClickHouseAnalyticsStore(sp.GetRequiredService<ClickHouseHttp>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            // The store creates the file's folder, so a fresh data_dir needs no setup step.
            services.AddSingleton<IAnalyticsStore>(sp => new DuckDbAnalyticsStore(analytics.DuckDbPath, sp.GetRequiredService<TimeProvider>()));
        }

        if (archive.S3Endpoint is { } endpoint)
        {
            services.AddSingleton(_ => CreateMinioClient(archive, new Uri(endpoint)));
            services.AddSingleton<IEventArchive>(sp => new S3EventArchive(sp.GetRequiredService<IMinioClient>(), archive.Bucket, archive.Prefix));
        }
        else
        {
            services.AddSingleton<IEventArchive>(_ => new FolderEventArchive(archive.Folder));
        }

        services.AddHotDashTracingPipeline(o =>
        {
            o.MaxBatchEvents = tracing.BatchSize;
            // The aggregators' callers (gateway shippers, the public API's 207) wait for the flush that covers their
            // events, so the silo flushes at least every 200 ms; flush_interval_ms batches on the gateways.
            o.FlushInterval = tracing.FlushInterval < TracingPipelineOptions.DefaultFlushInterval ? tracing.FlushInterval : TracingPipelineOptions.DefaultFlushInterval;
            // The embedded DuckDB store takes one write at a time, so more shards would only mean more, smaller inserts.
            o.Shards = analytics.ClickHouseUrl is null ? 1 : tracing.Shards;
        });

        services.AddSingleton<AnalyticsInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsInitializer>());
        services.AddSingleton<AnalyticsProbe>();
        services.AddSingleton<SiloMetrics>();
        if (analytics.RetentionDays is not null)
        {
            services.AddHostedService<RetentionService>();
        }
        return services;
    }

    // One pooled client for every shard and query. ClickHouse closes idle HTTP connections after keep_alive_timeout
    // (3 s on older releases, 10 s on newer), so pooled connections are dropped sooner than that: reusing one the server
    // has just closed fails the request. The lifetime bound picks up DNS changes of a managed ClickHouse.
    private static HttpClient CreateClickHouseClient(AnalyticsSettings analytics)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 32,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            // Long enough for a large query or insert, and shorter than Orleans' 30 s response timeout: a hung ClickHouse
            // makes a writer shard queue its batch (and answer the aggregator) before the aggregator's call times out.
            Timeout = TimeSpan.FromSeconds(20),
            DefaultRequestVersion = HttpVersion.Version11,
        };
        if (analytics.ClickHouseUser is not null || analytics.ClickHousePassword is not null)
        {
            // HTTP Basic is understood by every ClickHouse release (18.16 included), and unlike ?user=&password= it keeps
            // the password out of URLs that proxies and ClickHouse's own query log record.
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{analytics.ClickHouseUser ?? "default"}:{analytics.ClickHousePassword ?? ""}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
        return client;
    }

    private static IMinioClient CreateMinioClient(ArchiveSettings archive, Uri endpoint)
    {
        var client = new MinioClient()
            .WithEndpoint(endpoint.Host, endpoint.Port)
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .WithRegion(archive.Region);
        if (archive.AccessKey is not null && archive.SecretKey is not null)
        {
            client = client.WithCredentials(archive.AccessKey, archive.SecretKey);
        }
        return client.Build();
    }
}
