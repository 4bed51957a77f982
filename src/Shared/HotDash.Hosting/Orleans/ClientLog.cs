using Microsoft.Extensions.Logging;

namespace HotDash.Hosting.Orleans;

internal static partial class ClientLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "connected to the cluster through {Gateways} silo gateway(s)")]
    public static partial void ClusterConnected(ILogger logger, int gateways);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lost the connection to the cluster; reconnecting")]
    public static partial void ClusterConnectionLost(ILogger logger);
}
