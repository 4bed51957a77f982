namespace HotDash.Dashboard.Services.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "silo statistics unavailable: {Reason}")]
    public static partial void StatisticsUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "silo statistics available again")]
    public static partial void StatisticsAvailable(ILogger logger);
}
