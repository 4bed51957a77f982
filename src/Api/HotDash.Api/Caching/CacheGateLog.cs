namespace HotDash.Api.Caching;

internal static partial class CacheGateLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The cache could not be asked ({Operation} of {Key}); the call goes upstream uncached: {Error}")]
    public static partial void Unavailable(ILogger logger, string operation, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cache could not be told ({Operation} of {Key}); nothing is lost but the cached answer: {Error}")]
    public static partial void NotSent(ILogger logger, string operation, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The semantic cache could not be asked ({Operation} on {Index}); the call skips it: {Error}")]
    public static partial void SemanticUnavailable(ILogger logger, string operation, string index, string error);
}
