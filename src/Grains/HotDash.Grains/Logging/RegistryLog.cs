using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Logging;

internal static partial class RegistryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "gateway {InstanceId} joined ({Url})")]
    public static partial void GatewayJoined(ILogger logger, string instanceId, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "gateway {InstanceId} not heard from for {Seconds} s; dropped")]
    public static partial void GatewayExpired(ILogger logger, string instanceId, double seconds);
}
