namespace HotDash.Silo.Hosting;

internal static partial class AnalyticsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "analytics: {Store} at {Where}{Source}")]
    public static partial void StoreChosen(ILogger logger, string store, string where, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "archive: {Archive} at {Where}{Detail}")]
    public static partial void ArchiveChosen(ILogger logger, string archive, string where, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "analytics: {Store} at {Where} ready (schema migrated)")]
    public static partial void StoreReady(ILogger logger, string store, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "archive: {Archive} at {Where} ready")]
    public static partial void ArchiveReady(ILogger logger, string archive, string where);

    [LoggerMessage(Level = LogLevel.Error, Message = "analytics: {Store} at {Where} is unreachable or refused the schema ({Reason}); the silo runs on, traces wait in the archive and the writer shards, readiness reports it, retrying in {RetrySeconds} s")]
    public static partial void StoreFailed(ILogger logger, string store, string where, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "archive: {Archive} at {Where} is unreachable or refused ({Reason}); the silo runs on, readiness reports it, retrying in {RetrySeconds} s")]
    public static partial void ArchiveFailed(ILogger logger, string archive, string where, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: keeping {Days} days of traces; dropped months {Months} (before {Cutoff})")]
    public static partial void RetentionDropped(ILogger logger, int days, string months, string cutoff);

    [LoggerMessage(Level = LogLevel.Debug, Message = "retention: keeping {Days} days of traces; nothing before {Cutoff} to drop")]
    public static partial void RetentionNothing(ILogger logger, int days, string cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retention: dropping months before {Cutoff} failed ({Reason}); trying again in {RetryMinutes} minutes")]
    public static partial void RetentionFailed(ILogger logger, string cutoff, string reason, double retryMinutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "tracing: batches of {BatchSize} events or every {FlushMs} ms over {Shards} writer shards{Disabled}")]
    public static partial void TracingPipeline(ILogger logger, int batchSize, double flushMs, int shards, string disabled);
}
