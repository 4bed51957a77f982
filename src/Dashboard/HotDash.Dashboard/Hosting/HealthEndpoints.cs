using System.Text.Json;
using HotDash.Dashboard.Services;
using HotDash.Hosting.Configuration;

namespace HotDash.Dashboard.Hosting;

/// <summary>LiteLLM-style health endpoints, so the same probes work against the dashboard as against the gateway.</summary>
public static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// <c>GET /health/liveliness</c>: the process is up (LiteLLM's JSON string). <c>GET /health/readiness</c>:
    /// 200 with the silos when the cluster answers, else 503 with the reason.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboardHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").DisableAntiforgery();
        // Written by hand: the default encoder would turn the apostrophe into \u0027.
        health.MapGet("/liveliness", () => Results.Text("\"I'm alive!\"", "application/json"));
        health.MapGet("/readiness", async (ClusterStatusService cluster, ClusterConnection connection, HotDashConfig config, CancellationToken ct) =>
        {
            var snapshot = await cluster.GetClusterAsync(ct);
            var healthy = snapshot.IsReachable && snapshot.ActiveSilos > 0;
            // The same shape as the gateway's readiness, so one probe script reads both.
            return Results.Json(new
            {
                status = healthy ? "healthy" : "unhealthy",
                role = "dashboard",
                cluster = new
                {
                    status = snapshot.IsReachable ? "connected" : "unreachable",
                    clustering = config.Infrastructure.RedisConnectionString is null ? "localhost" : "redis",
                    gateways = connection.ConnectedGateways,
                    active_silos = snapshot.ActiveSilos,
                    silos = snapshot.Silos.Select(s => new { s.Address, s.Name, s.Status, s.StartedAt }),
                    error = snapshot.Error,
                },
                models = config.ModelList.Count,
            }, Json, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
