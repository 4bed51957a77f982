using HotDash.Dashboard.Services;
using HotDash.Dashboard.Services.Cluster;

namespace HotDash.Dashboard.Tests.Cluster;

/// <summary>The Cluster page's source, answering what the test sets and counting reads (no cluster needed).</summary>
internal sealed class FakeClusterOverviewSource : IClusterOverviewSource
{
    private int _reads;

    /// <summary>The next answer.</summary>
    public ClusterOverview Overview { get; set; } = ClusterOverview.Unreachable("not connected to any silo gateway", DateTimeOffset.UnixEpoch);

    /// <summary>The gateways answer.</summary>
    public GatewayRegistrySnapshot Gateways { get; set; } = GatewayRegistrySnapshot.Available([], DateTimeOffset.UnixEpoch);

    /// <summary>How often the cluster was read.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public Task<ClusterOverview> ReadClusterAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(Overview);
    }

    public Task<GatewayRegistrySnapshot> ReadGatewaysAsync(CancellationToken cancellationToken = default) => Task.FromResult(Gateways);
}
