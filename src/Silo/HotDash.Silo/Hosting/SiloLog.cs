namespace HotDash.Silo.Hosting;

internal static partial class SiloLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "silo health on {Urls}; Orleans on {OrleansAddress} silo port {SiloPort}, gateway port {GatewayPort}, cluster {ClusterId}")]
    public static partial void Listening(ILogger logger, string urls, string orleansAddress, int siloPort, int gatewayPort, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "advertised_address {Address} is ignored: without Redis the silo uses localhost clustering on loopback; configure Redis to cluster across hosts")]
    public static partial void AdvertisedWithoutRedis(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping: leaving the cluster")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);
}
