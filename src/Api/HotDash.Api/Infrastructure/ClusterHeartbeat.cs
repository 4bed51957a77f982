using System.Collections.Immutable;
using HotDash.Api.Gateway;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;

namespace HotDash.Api.Infrastructure;

/// <summary>
/// Reports this gateway to the cluster every two seconds and takes back the cluster's deployment
/// cooldowns. Off the request path: a silo that is down or restarting never delays a request.
/// </summary>
internal sealed class ClusterHeartbeat(
    IClusterClient cluster,
    ClusterConnection connection,
    HotDashConfig config,
    GatewayMetrics metrics,
    DeploymentRouter router,
    TimeProvider time,
    ILogger<ClusterHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly string instanceId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("n")[..8]}";
    private readonly DateTimeOffset startedAt = time.GetUtcNow();
    private readonly ImmutableArray<string> models = [.. config.ModelList.Select(m => m.ModelName).Distinct()];

    /// <summary>When the cluster last answered a heartbeat.</summary>
    public DateTimeOffset? LastContact { get; private set; }

    /// <summary>The last error talking to the cluster, if the last attempt failed.</summary>
    public string? LastError { get; private set; }

    public bool IsConnected => LastContact is { } t && time.GetUtcNow() - t < Interval * 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = config.HotDash.GatewayUrl ?? $"http://localhost:{config.HotDash.ApiPort}";
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await BeatAsync(url, stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task BeatAsync(string url, CancellationToken ct)
    {
        if (connection.ConnectedGateways == 0)
        {
            LastError = "not connected to any silo gateway"; // the client logs the loss itself, once
            return;
        }
        try
        {
            var heartbeat = new GatewayHeartbeat(instanceId, url, startedAt, time.GetUtcNow(), models, metrics.Snapshot(), LastError is null ? "healthy" : "degraded");
            var cooldowns = await cluster.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey)
                .Heartbeat(heartbeat).WaitAsync(TimeSpan.FromSeconds(5), ct);
            router.ReplaceClusterCooldowns(cooldowns.Select(c => (c.DeploymentId, c.Until)));
            if (LastError is not null && LastContact is not null)
            {
                GatewayLog.ClusterRestored(logger);
            }
            LastContact = time.GetUtcNow();
            LastError = null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (LastError is null)
            {
                GatewayLog.ClusterUnavailable(logger, e.Message);
            }
            LastError = e.Message;
        }
    }
}
