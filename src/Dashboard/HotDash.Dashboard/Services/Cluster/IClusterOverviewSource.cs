namespace HotDash.Dashboard.Services.Cluster;

/// <summary>
/// Where the Cluster page reads the cluster from (<see cref="ClusterOverviewReader"/>, over the management grain).
/// Implementations never throw for an unreachable cluster: the answer says why.
/// </summary>
public interface IClusterOverviewSource
{
    /// <summary>The silos, their statistics and the activations per grain type.</summary>
    Task<ClusterOverview> ReadClusterAsync(CancellationToken cancellationToken = default);

    /// <summary>The gateways registered in the cluster.</summary>
    Task<GatewayRegistrySnapshot> ReadGatewaysAsync(CancellationToken cancellationToken = default);
}
