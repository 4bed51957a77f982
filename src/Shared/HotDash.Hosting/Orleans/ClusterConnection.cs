using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDash.Hosting.Orleans;

/// <summary>
/// What the Orleans client says about its connection: how many silo gateways it is connected to. A grain call made
/// before the first connection fails with a misleading "no implementation" error; this lets the page say why instead.
/// It also logs each change once (the client's own per-attempt retry warnings are filtered out).
/// </summary>
public sealed class ClusterConnection(IHostApplicationLifetime lifetime, ILogger<ClusterConnection> logger) : IClusterConnectionStatusObserver
{
    private int _gateways;

    /// <summary>Silo gateways the client is connected to now (0 before the first connection and after losing it).</summary>
    public int ConnectedGateways => Volatile.Read(ref _gateways);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        Volatile.Write(ref _gateways, currentNumberOfGateways);
        if (previousNumberOfGateways == 0 && currentNumberOfGateways > 0)
        {
            ClientLog.ClusterConnected(logger, currentNumberOfGateways);
        }
    }

    public void NotifyClusterConnectionLost()
    {
        Volatile.Write(ref _gateways, 0);
        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            ClientLog.ClusterConnectionLost(logger); // while stopping, losing the cluster is the point
        }
    }
}
