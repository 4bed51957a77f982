namespace HotDash.Dashboard.Services.Analytics;

internal static partial class UsageLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "overview: {Source} unavailable: {Reason}")]
    public static partial void SourceFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "overview: {Source} answering again")]
    public static partial void SourceRecovered(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "overview: team aliases unavailable, showing team ids: {Reason}")]
    public static partial void TeamAliasesFailed(ILogger logger, string reason);
}
