namespace HotDash.Dashboard.Hosting;

internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster unreachable: {Reason}")]
    public static partial void ClusterUnreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster reachable: {ActiveSilos} active silo(s)")]
    public static partial void ClusterReachable(ILogger logger, int activeSilos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "gateway registry unavailable: {Reason}")]
    public static partial void GatewayRegistryUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "gateway probe of {Url} failed: {Reason}")]
    public static partial void GatewayProbeFailed(ILogger logger, string url, string reason);
}
