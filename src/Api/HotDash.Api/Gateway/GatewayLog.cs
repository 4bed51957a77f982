namespace HotDash.Api.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {ModelGroup} deployment {DeploymentId} failed with {Status}: {Error}")]
    public static partial void UpstreamFailed(ILogger logger, string modelGroup, string deploymentId, int status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is unavailable: {Error}")]
    public static partial void ClusterUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No master key is configured (general_settings.master_key, LITELLM_MASTER_KEY or HOTDASH_MASTER_KEY): the gateway is OPEN to anyone who can reach port {Port}")]
    public static partial void OpenGateway(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Heartbeat to the cluster restored")]
    public static partial void ClusterRestored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string path);
}
