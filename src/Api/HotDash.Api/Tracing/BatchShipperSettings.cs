namespace HotDash.Api.Tracing;

/// <summary>How a <see cref="BatchShipper{T}"/> holds and sends its items.</summary>
/// <param name="Capacity">Items held while the receiver is slow or away; beyond this new items are dropped (and counted), never waited for.</param>
/// <param name="MaxBatch">The most items in one send.</param>
/// <param name="FlushInterval">The longest an item waits for its batch to fill before the batch is sent anyway.</param>
internal sealed record BatchShipperSettings(int Capacity, int MaxBatch, TimeSpan FlushInterval)
{
    /// <summary>The wait before the first retry of a failed batch; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between retries of a failed batch.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown may spend sending the items still held.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The least time between two "dropping" log lines while the queue stays full.</summary>
    public TimeSpan DropLogInterval { get; init; } = TimeSpan.FromMinutes(1);
}
