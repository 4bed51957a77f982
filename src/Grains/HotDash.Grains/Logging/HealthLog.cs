using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Logging;

internal static partial class HealthLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {DeploymentId} cools down for {Seconds} s after {Failures} failure(s); last: {LastError}")]
    public static partial void CoolingDown(ILogger logger, string deploymentId, int failures, double seconds, string? lastError);
}
