namespace HotDash.Api.Tracing;

internal static partial class TraceLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The trace of request {CallId} could not be built; it is left out")]
    public static partial void BuildFailed(ILogger logger, string callId, Exception error);
}
