using Microsoft.Extensions.Logging;

namespace HotDash.Grains.Tracing;

internal static partial class TracingLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "trace aggregator: archiving a batch of {Events} event(s) failed; its callers were told and retry")]
    public static partial void ArchiveFailed(ILogger logger, Exception exception, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trace aggregator: a writer shard did not accept a batch of {Events} event(s); its callers were told and retry")]
    public static partial void HandOffFailed(ILogger logger, Exception exception, int events);

    [LoggerMessage(Level = LogLevel.Error, Message = "trace aggregator: flushing {Events} buffered event(s) at deactivation failed")]
    public static partial void DeactivationFlushFailed(ILogger logger, Exception exception, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trace writer {Shard}: writing {Events} event(s) failed ({Error}); batch queued for replay ({Pending} pending)")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int shard, int events, string error, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trace writer {Shard}: replaying a pending batch failed ({Error}); {Pending} pending, next attempt in {BackoffMs} ms")]
    public static partial void ReplayFailed(ILogger logger, Exception exception, int shard, string error, int pending, double backoffMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "trace writer {Shard}: the analytics store is back; {Batches} pending batch(es) replayed")]
    public static partial void Recovered(ILogger logger, int shard, int batches);

    [LoggerMessage(Level = LogLevel.Error, Message = "trace writer {Shard}: archived batch {Key} is missing; its events are skipped")]
    public static partial void ArchivedBatchMissing(ILogger logger, int shard, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "trace writer {Shard}: archived batch {Key} cannot be read; its events are skipped")]
    public static partial void ArchivedBatchCorrupt(ILogger logger, Exception exception, int shard, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trace writer {Shard}: persisting the pending list failed; retried with the next change")]
    public static partial void PendingWriteFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rollup {Subject}: state write failed; retried at the next interval")]
    public static partial void RollupWriteFailed(ILogger logger, Exception exception, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "rollup {Subject}: its last state write at deactivation failed ({Reason}); the minutes since its previous write are not kept")]
    public static partial void RollupFinalWriteFailed(ILogger logger, string subject, string reason);
}
