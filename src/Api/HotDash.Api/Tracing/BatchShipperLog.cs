namespace HotDash.Api.Tracing;

internal static partial class BatchShipperLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The {What} queue is full ({Capacity} items): {What} items are being dropped ({Dropped} so far) until the cluster catches up")]
    public static partial void Dropping(ILogger logger, string what, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipping {Items} {What} items failed (attempt {Attempt}); retrying the same batch in {DelayMs} ms: {Error}")]
    public static partial void BatchFailed(ILogger logger, string what, int items, int attempt, long delayMs, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{What} items reach the cluster again ({Items} items shipped after {Attempts} attempts)")]
    public static partial void BatchRecovered(ILogger logger, string what, int items, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: the cluster cannot take {What} items at all ({Error}); not waiting for it")]
    public static partial void GivingUp(ILogger logger, string what, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown left {Items} {What} items unshipped: the cluster did not take them within {TimeoutSeconds} s")]
    public static partial void LostAtShutdown(ILogger logger, string what, int items, double timeoutSeconds);
}
