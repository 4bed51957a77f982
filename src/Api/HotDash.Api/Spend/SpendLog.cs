namespace HotDash.Api.Spend;

internal static partial class SpendLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The spend queue is full ({Capacity} rows): spend rows are being dropped ({Dropped} so far) until the ledger catches up")]
    public static partial void Dropping(ILogger logger, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Rows} spend rows failed (attempt {Attempt}); retrying the same batch in {DelayMs} ms: {Error}")]
    public static partial void BatchFailed(ILogger logger, int rows, int attempt, long delayMs, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spend rows reach the ledger again ({Rows} rows written after {Attempts} attempts)")]
    public static partial void BatchRecovered(ILogger logger, int rows, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The ledger refused the spend row of request {RequestId}; it is set aside, not retried: {Error}")]
    public static partial void RowRefused(ILogger logger, string requestId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown left {Rows} spend rows unwritten: the ledger did not take them within {TimeoutSeconds} s")]
    public static partial void LostAtShutdown(ILogger logger, int rows, double timeoutSeconds);
}
