using Microsoft.Extensions.Logging;

namespace HotDash.Hosting.Startup;

internal static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "config: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "HotDash {Role} on {Source}; cluster: {Cluster}")]
    public static partial void Running(ILogger logger, string role, string source, string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "registry: PostgreSQL at {Endpoint} (from {Source}), schema {Schema}")]
    public static partial void Registry(ILogger logger, string endpoint, string source, string schema);
}
