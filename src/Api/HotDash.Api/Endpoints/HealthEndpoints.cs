using HotDash.Api.Infrastructure;
using HotDash.Api.Spend;
using HotDash.Api.Tracing;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Health;
using HotDash.Hosting.Orleans;

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

    private static async Task<(string Status, string? Error, int? Gateways)> ClusterStatusAsync(IClusterClient cluster, ClusterConnection connection, CancellationToken ct)
    {
        if (connection.ConnectedGateways == 0)
        {
            // A grain call now would fail with a misleading "no implementation" error.
            return ("disconnected", "not connected to any silo gateway (is the silo running?)", null);
        }
        try
        {
            var list = await cluster.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey).GetGateways()
                .WaitAsync(TimeSpan.FromSeconds(2), ct);
            return ("connected", null, list.Length);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ("disconnected", e.Message, null);
        }
    }

    private static async Task<IResult> ReadinessAsync(
        IClusterClient cluster, ClusterConnection connection, ClusterHeartbeat heartbeat, RedisProbe redisProbe, DatabaseHealth database,
        SpendShipper spend, TraceRecorder traces, HotDashConfig config, CancellationToken ct)
    {
        var (clusterStatus, clusterError, gateways) = await ClusterStatusAsync(cluster, connection, ct);
        var redisTask = redisProbe.PingAsync(ct);
        var dbTask = database.DatabaseStatusAsync(ct);
        var redis = await redisTask;
        var db = await dbTask;
        var healthy = clusterStatus == "connected" && (redis is null or "connected") && (db is null or "connected");
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
            // LiteLLM's wording when no database is configured.
            ["db"] = db ?? "Not connected",
            ["models"] = config.ModelList.Count,
            // Spend rows on their way to the ledger: a growing backlog or any drops mean the ledger is not keeping up.
            ["spend_queue"] = new Dictionary<string, object?>
            {
                ["pending"] = spend.Pending,
                ["written"] = spend.Written,
                ["dropped"] = spend.Dropped,
                ["failed_writes"] = spend.FailedAttempts,
                ["refused_rows"] = spend.Rejected,
            },
            // Trace events (two a request) on their way to the aggregator; null with tracing off.
            ["trace_queue"] = traces.Shipper is { } t
                ? new Dictionary<string, object?>
                {
                    ["queued"] = t.QueuedEvents,
                    ["shipped"] = t.ShippedEvents,
                    ["dropped"] = t.DroppedEvents,
                    ["retries"] = t.FailedAttempts,
                }
                : null,
            ["success_callbacks"] = config.LiteLlmSettings.SuccessCallback,
        };
        return Results.Json(body, statusCode: healthy ? 200 : 503);
    }
}
