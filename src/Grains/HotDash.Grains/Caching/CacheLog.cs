using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Caching;

/// <summary>The cache's log messages (source-generated).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Cache store ({Store}) read failed; answering as a miss")]
    public static partial void StoreReadFailed(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Cache store ({Store}) write failed")]
    public static partial void StoreWriteFailed(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Cache {Key}: {Operation} with stale lease {LeaseId} ignored")]
    public static partial void StaleLease(ILogger logger, string key, string leaseId, string operation);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Cache {Key}: leader {LeaseId} went silent (streaming: {Streaming}); its followers ask upstream")]
    public static partial void LeaderSilent(ILogger logger, string key, string leaseId, bool streaming);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "Cache {Key}: streamed answer passed {MaxBytes} bytes ({Bytes}); not shared, not stored")]
    public static partial void Oversized(ILogger logger, string key, long bytes, long maxBytes);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Cache {Key}: answer of {Bytes} bytes not stored (cap {MaxBytes} bytes, or already expired)")]
    public static partial void NotStored(ILogger logger, string key, long bytes, long maxBytes);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Cache store ({Store}) flushed: {Deleted} entries deleted")]
    public static partial void Flushed(ILogger logger, string store, long deleted);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Cache admin: silo {Silo} could not be reached for {Operation}")]
    public static partial void SiloUnreachable(ILogger logger, Exception exception, string silo, string operation);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Debug, Message = "Cache admin: silo {Silo} left the cluster during {Operation}; its memory store went with it")]
    public static partial void SiloLeft(ILogger logger, Exception exception, string silo, string operation);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "Cache entry {Key} in Redis could not be read; treated as a miss")]
    public static partial void UnreadableEntry(ILogger logger, Exception exception, string key);
}
