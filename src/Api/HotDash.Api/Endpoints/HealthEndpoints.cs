using HotDash.Api.Infrastructure;
using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Endpoints;

/// <summary>LiteLLM's unauthenticated health probes.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder app)
    {
        // LiteLLM (FastAPI) answers with the JSON string "I'm alive!"; probes written for it compare that.
        app.MapGet("/health/liveliness", () => Results.Json("I'm alive!"));
        app.MapGet("/health/liveness", () => Results.Json("I'm alive!"));
        app.MapGet("/health/readiness", ReadinessAsync);
        return app;
    }

    private static async Task<IResult> ReadinessAsync(
        IClusterClient cluster, ClusterHeartbeat heartbeat, StoreHealth stores, HotDashConfig config, CancellationToken ct)
    {
        string clusterStatus;
        string? clusterError = null;
        int? gateways = null;
        try
        {
            var list = await cluster.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey).GetGateways()
                .WaitAsync(TimeSpan.FromSeconds(2), ct);
            clusterStatus = "connected";
            gateways = list.Length;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            clusterStatus = "disconnected";
            clusterError = e.Message;
        }
        var redis = await stores.RedisStatusAsync(ct);
        var healthy = clusterStatus == "connected" && redis is null or "connected";
        var body = new Dictionary<string, object?>
        {
            ["status"] = healthy ? "healthy" : "unhealthy",
            ["role"] = "gateway",
            ["cluster"] = new Dictionary<string, object?>
            {
                ["status"] = clusterStatus,
                ["clustering"] = config.Infrastructure.RedisConnectionString is null ? "localhost" : "redis",
                ["gateways"] = gateways,
                ["last_heartbeat"] = heartbeat.LastContact,
                ["error"] = clusterError,
            },
            ["cache"] = redis,
            ["db"] = config.Infrastructure.DatabaseUrl is null ? "Not connected" : "configured",
            ["models"] = config.ModelList.Count,
            ["success_callbacks"] = config.LiteLlmSettings.SuccessCallback,
        };
        return Results.Json(body, statusCode: healthy ? 200 : 503);
    }
}
