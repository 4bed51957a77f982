using System.Globalization;
using HotDash.Api.Gateway;
using HotDash.Api.Providers;
using HotDash.Api.Quotas;
using HotDash.Api.Spend;
using HotDash.Api.Tracing;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Health;
using HotDash.Hosting.Orleans;
using HotDash.Hosting.Startup;

namespace HotDash.Api.Infrastructure;

/// <summary>Registers the gateway's services; keeps Program.cs short.</summary>
internal static class GatewayHostingExtensions
{
    public static WebApplicationBuilder AddHotDashGateway(this WebApplicationBuilder builder, HotDashConfig config)
    {
        var s = config.HotDash;
        builder.WebHost.UseUrls($"http://{(s.BindAddress == "0.0.0.0" ? "*" : s.BindAddress)}:{s.ApiPort}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the pipeline enforces max_request_size_mb and answers 413 itself
        });
        builder.Logging.AddHotDashConsole();

        // The YAML's request-path limits become ordinary options (so HotDash__Gateway__* env vars override them).
        builder.Configuration.AddInMemoryCollection(GatewaySettings(config));
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration("HotDash:Gateway").ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MasterKeyAuth>();
        builder.Services.AddManagementApi(config);
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<DeploymentRouter>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<UpstreamHttp>();
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<OpenAiAdapter>();
        builder.Services.AddSingleton<MockAdapter>();
        builder.Services.AddSingleton<QuotaGate>();
        builder.Services.AddSingleton<Caching.Semantic.PromptEmbedder>();
        builder.Services.AddSingleton<Caching.GatewayCacheMemory>();
        builder.Services.AddSingleton<Caching.CacheGate>();
        builder.Services.AddSingleton<GatewayPipeline>();
        builder.Services.AddSingleton<RedisProbe>();
        builder.Services.AddSingleton<DatabaseHealth>();
        builder.Services.AddSingleton<ClusterHeartbeat>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterHeartbeat>());
        builder.AddHotDashClusterClient(config);
        // After the cluster client: hosted services stop in reverse order, so the shipper flushes while the client is still up.
        builder.Services.AddOptions<SpendShipperOptions>().BindConfiguration("HotDash:Spend").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ISpendSender, ClusterSpendSender>();
        builder.Services.AddSingleton<SpendShipper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpendShipper>());
        builder.Services.AddHotDashTracing(config);
        return builder;
    }

    private static Dictionary<string, string?> GatewaySettings(HotDashConfig config)
    {
        var timeout = config.RouterSettings.TimeoutSeconds ?? config.LiteLlmSettings.RequestTimeoutSeconds ?? 600;
        return new()
        {
            ["HotDash:Gateway:MaxRequestBytes"] = ((long)(config.GeneralSettings.MaxRequestSizeMb * 1024 * 1024)).ToString(CultureInfo.InvariantCulture),
            ["HotDash:Gateway:NumRetries"] = (config.RouterSettings.NumRetries ?? config.LiteLlmSettings.NumRetries ?? 0).ToString(CultureInfo.InvariantCulture),
            ["HotDash:Gateway:DefaultTimeout"] = TimeSpan.FromSeconds(timeout).ToString("c", CultureInfo.InvariantCulture),
            ["HotDash:Gateway:AllowedFails"] = config.RouterSettings.AllowedFails.ToString(CultureInfo.InvariantCulture),
            ["HotDash:Gateway:CooldownTime"] = TimeSpan.FromSeconds(config.RouterSettings.CooldownSeconds).ToString("c", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Every error the framework itself produces (404, 405, a bug) in OpenAI's shape, never an HTML page.</summary>
    public static WebApplication UseOpenAiShapedErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(ctx =>
        {
            var error = ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>();
            if (error is not null)
            {
                GatewayLog.Unhandled(ctx.RequestServices.GetRequiredService<ILogger<GatewayPipeline>>(), error.Error, ctx.Request.Path);
            }
            return OpenAiError.WriteAsync(ctx, 500, "Internal error in the gateway; it has been logged.", OpenAiError.Internal);
        }));
        app.UseStatusCodePages(ctx =>
        {
            var http = ctx.HttpContext;
            var status = http.Response.StatusCode;
            var (message, type) = status switch
            {
                404 => ($"Not found: {http.Request.Method} {http.Request.Path}. The gateway serves /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models and LiteLLM's management API (/key/*, /team/*, /user/*, /spend/logs, /global/spend/report).", OpenAiError.NotFound),
                405 => ($"Method {http.Request.Method} is not allowed on {http.Request.Path}.", OpenAiError.InvalidRequest),
                413 => ("Request body too large.", OpenAiError.InvalidRequest),
                _ => ($"HTTP {status}.", OpenAiError.TypeForStatus(status)),
            };
            return OpenAiError.WriteAsync(http, status, message, type);
        });
        return app;
    }
}
