namespace HotDash.Dashboard.Access;

internal static partial class AccessLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard is open: no UI_PASSWORD and no master key set, every page is reachable without a login")]
    public static partial void DashboardOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "dashboard login required: user {Username}, password from {Source}")]
    public static partial void LoginRequired(ILogger logger, string username, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard login failed from {Client}")]
    public static partial void LoginFailed(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard login from {Client} rate-limited for {RetryAfterSeconds} s")]
    public static partial void LoginThrottled(ILogger logger, string client, int retryAfterSeconds);
}
