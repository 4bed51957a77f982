using HotDash.Grains;

namespace HotDash.Dashboard.Services;

/// <summary>The gateways registered in the cluster, or why the registry could not be read.</summary>
public sealed record GatewayRegistrySnapshot(bool IsAvailable, string? Error, IReadOnlyList<GatewayHeartbeat> Gateways, DateTimeOffset TakenAt)
{
    public static GatewayRegistrySnapshot Available(IReadOnlyList<GatewayHeartbeat> gateways, DateTimeOffset at) => new(true, null, gateways, at);

    public static GatewayRegistrySnapshot Unavailable(string error, DateTimeOffset at) => new(false, error, [], at);
}
