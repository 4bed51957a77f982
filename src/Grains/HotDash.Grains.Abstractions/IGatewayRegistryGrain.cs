namespace HotDash.Grains;

/// <summary>
/// The cluster-wide list of running gateway processes (key: <see cref="DefaultKey"/>). Every gateway
/// reports itself every few seconds; the answer carries the cluster's current deployment cooldowns,
/// so routers on every gateway skip a deployment that failed on any of them.
/// </summary>
public interface IGatewayRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry's key.</summary>
    const string DefaultKey = "default";

    /// <summary>Records a gateway's heartbeat and returns the deployments now cooling down.</summary>
    Task<ImmutableArray<DeploymentCooldown>> Heartbeat(GatewayHeartbeat heartbeat);

    /// <summary>The gateways heard from within the expiry window, newest first.</summary>
    Task<ImmutableArray<GatewayHeartbeat>> GetGateways();

    /// <summary>Deployment health grains push a cooldown here (one-way, grain to grain).</summary>
    [OneWay]
    Task SetCooldown(DeploymentCooldown cooldown);
}
