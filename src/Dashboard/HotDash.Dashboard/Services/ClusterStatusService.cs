using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services;

/// <summary>
/// Reads the cluster for the dashboard: the silos (management grain) and the registered gateways. Never
/// throws for an unreachable cluster: every call is bounded by <see cref="HotDashDashboardOptions.ClusterCallTimeout"/>
/// and a failure comes back as a snapshot saying why, so pages can render it.
/// </summary>
public sealed class ClusterStatusService(
    IClusterClient client,
    ClusterConnection connection,
    IOptions<HotDashDashboardOptions> options,
    TimeProvider time,
    ILogger<ClusterStatusService> logger)
{
    private readonly TimeSpan _timeout = options.Value.ClusterCallTimeout;

    // 1 reachable, 0 unreachable, -1 not yet known: lets the log say when the state changes, not on every refresh.
    private int _lastClusterState = -1;
    private int _lastRegistryState = -1;

    /// <summary>All silos the membership table knows (dead ones included), active first, newest first.</summary>
    public async Task<ClusterSnapshot> GetClusterAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0)
                .GetDetailedHosts(onlyActive: false)
                .WaitAsync(_timeout, time, cancellationToken);
            var silos = hosts
                .Select(SiloView.From)
                .OrderByDescending(s => s.IsActive)
                .ThenByDescending(s => s.StartedAt)
                .ToArray();
            if (Interlocked.Exchange(ref _lastClusterState, 1) != 1)
            {
                DashboardLog.ClusterReachable(logger, silos.Count(s => s.IsActive));
            }
            return ClusterSnapshot.Reachable(silos, time.GetUtcNow());
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(e);
            if (Interlocked.Exchange(ref _lastClusterState, 0) != 0)
            {
                DashboardLog.ClusterUnreachable(logger, reason);
            }
            return ClusterSnapshot.Unreachable(reason, time.GetUtcNow());
        }
    }

    /// <summary>The gateways heard from recently, as <see cref="IGatewayRegistryGrain"/> lists them.</summary>
    public async Task<GatewayRegistrySnapshot> GetGatewaysAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var gateways = await client.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey)
                .GetGateways()
                .WaitAsync(_timeout, time, cancellationToken);
            Interlocked.Exchange(ref _lastRegistryState, 1);
            return GatewayRegistrySnapshot.Available(gateways, time.GetUtcNow());
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(e);
            if (Interlocked.Exchange(ref _lastRegistryState, 0) != 0)
            {
                DashboardLog.GatewayRegistryUnavailable(logger, reason);
            }
            return GatewayRegistrySnapshot.Unavailable(reason, time.GetUtcNow());
        }
    }

    /// <summary>Why a call into the cluster failed, in words for the page (not connected, timed out, or the error).</summary>
    public string Describe(Exception e) => e switch
    {
        _ when connection.ConnectedGateways == 0 => "not connected to any silo gateway",
        TimeoutException => $"no answer from the cluster within {_timeout.TotalSeconds:0.#} s",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
