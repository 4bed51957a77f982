using System.Net;
using HotDash.Dashboard.Access;
using HotDash.Dashboard.Components;
using HotDash.Dashboard.PublicApi;
using HotDash.Dashboard.Services;
using HotDash.Dashboard.Services.Analytics;
using HotDash.Dashboard.Services.Cluster;
using HotDash.Dashboard.Services.Traces;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using HotDash.Hosting.Startup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Orleans.Dashboard;

namespace HotDash.Dashboard.Hosting;

/// <summary>Wires the dashboard process: Kestrel, the Orleans client, MudBlazor, the Orleans Dashboard and the health endpoints.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>Adds the dashboard's services, listening on <c>hotdash.bind_address</c>:<c>hotdash.dashboard_port</c>.</summary>
    public static WebApplicationBuilder AddHotDashDashboard(this WebApplicationBuilder builder, HotDashConfig config)
    {
        // Static web assets (_content/MudBlazor/*) are only wired automatically in Development; running the build
        // output in Production would answer 500 for them. Published output has no runtime manifest: a no-op there.
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.AddHotDashConsole();
        builder.WebHost.ConfigureKestrel(k => Listen(k, config.HotDash.BindAddress, config.HotDash.DashboardPort));

        builder.Services.AddSingleton(config);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<HotDashDashboardOptions>()
            .BindConfiguration(HotDashDashboardOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddHotDashClusterClient(config);
        // The Orleans Dashboard's client half; the silos run its grains (AddDashboard on every silo).
        builder.UseOrleansClient(client => client.AddDashboard());

        builder.Services.AddSingleton<ClusterStatusService>();
        // The Cluster page: silos, their statistics and activations per grain type (management grain).
        builder.Services.AddSingleton<IClusterOverviewSource, ClusterOverviewReader>();
        builder.Services.AddSingleton<TraceQueryService>();
        // The session page: a session's traces with their totals.
        builder.Services.AddSingleton<SessionQueryService>();
        // Home page analytics: the store's usage overview merged with the live rollup grains.
        builder.Services.AddSingleton<IUsageReads, ClusterUsageReads>();
        builder.Services.AddSingleton<UsageOverviewService>();
        var gatewayUrl = (config.HotDash.GatewayUrl ?? $"http://127.0.0.1:{config.HotDash.ApiPort}").TrimEnd('/') + "/";
        builder.Services.AddHttpClient<GatewayProbe>((sp, http) =>
        {
            // A bad gateway_url leaves BaseAddress unset; the probe then reports it on the page rather than failing it.
            if (Uri.TryCreate(gatewayUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                http.BaseAddress = uri;
            }
            http.Timeout = sp.GetRequiredService<IOptions<HotDashDashboardOptions>>().Value.GatewayProbeTimeout;
        });

        // Admin pages: the gateway's management API (its rules and errors), quota and deployment-health grains.
        builder.Services.AddHttpClient<HotDash.Dashboard.Services.Admin.ManagementClient>(http =>
        {
            if (Uri.TryCreate(gatewayUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                http.BaseAddress = uri;
            }
            HotDash.Dashboard.Services.Admin.ManagementClient.Authorize(http, config.MasterKey);
            // A page waits on these calls; far below HttpClient's 100 s default, above any registry write.
            http.Timeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddSingleton<HotDash.Dashboard.Services.Admin.QuotaUsageReader>();
        builder.Services.AddSingleton<HotDash.Dashboard.Services.Admin.ModelStatusReader>();

        // The Langfuse-compatible /api/public/* (project API keys, ingestion into the trace aggregator, reads).
        builder.Services.AddLangfusePublicApi();

        // The dashboard login (cookie, gate, rate-limited /login, /logout).
        builder.Services.AddDashboardAccess();

        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }

    /// <summary>Maps the pages, the static assets, <c>/health/*</c> and the Orleans Dashboard at <c>/orleans</c>.</summary>
    public static WebApplication MapHotDashDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Before antiforgery: its tokens are bound to the signed-in user.
        app.UseDashboardAccess();
        app.UseAntiforgery();
        // Langfuse's public API answers any origin (browser SDKs); only its endpoints carry the policy.
        app.UseCors();

        app.MapStaticAssets();
        app.MapDashboardHealth();
        app.MapLangfusePublicApi();
        app.MapOrleansDashboard("/orleans");
        app.MapDashboardAccess();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, string bindAddress, int port)
    {
        if (string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port);
        }
        else
        {
            kestrel.Listen(IPAddress.TryParse(bindAddress, out var address) ? address : IPAddress.Any, port);
        }
    }
}
