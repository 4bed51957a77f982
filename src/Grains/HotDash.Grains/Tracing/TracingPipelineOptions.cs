namespace HotDash.Grains.Tracing;

/// <summary>How the silo's trace pipeline batches, shards and retries (<see cref="TracingServiceCollectionExtensions.AddHotDashTracingPipeline"/>).</summary>
public sealed class TracingPipelineOptions
{
    /// <summary>
    /// An aggregator activation flushes once it holds this many events (default 1,000): one archive object per project
    /// and one analytics insert per writer shard per batch.
    /// </summary>
    public int MaxBatchEvents { get; set; } = 1_000;

    /// <summary>The default <see cref="FlushInterval"/>: 200 ms.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// An aggregator activation flushes what it holds at least this often (default 200 ms, at most 10 s). Callers of
    /// <c>Add</c> wait for the flush that covers their events (a gateway shipper's batch, a Langfuse SDK's 207), so this
    /// is the latency they see; the batching that saves inserts happens before, in the gateways' shippers (1,000 events
    /// or 1 s), and at <see cref="MaxBatchEvents"/> here. It is also how long a stopping silo waits for those callers.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = DefaultFlushInterval;

    /// <summary>
    /// Writer shards (default 4): events of one entity always reach the same shard, so its merges never race; shards
    /// write in parallel. Changing it while batches are pending re-shards their replay (events whose shard moved are
    /// replayed by the shard that queued them only if it still owns them), so change it only with no batches pending.
    /// </summary>
    public int Shards { get; set; } = 4;

    /// <summary>A writer that could not write waits this long before its first retry (default 0.5 s); doubled after each failure.</summary>
    public TimeSpan RetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest a writer waits between retries (default 10 s).</summary>
    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least time between two state writes of a rollup grain (default 10 s): rollups change with every batch, and a
    /// lost interval costs only dashboard numbers.
    /// </summary>
    public TimeSpan RollupWriteInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What is wrong with these options, or null when they are usable.</summary>
    public string? Validate()
    {
        if (MaxBatchEvents < 1)
        {
            return $"{nameof(MaxBatchEvents)} must be at least 1 (is {MaxBatchEvents})";
        }
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(10))
        {
            return $"{nameof(FlushInterval)} must be positive and at most 10 s (is {FlushInterval})";
        }
        if (Shards < 1)
        {
            return $"{nameof(Shards)} must be at least 1 (is {Shards})";
        }
        if (RetryInitialBackoff <= TimeSpan.Zero || RetryMaxBackoff < RetryInitialBackoff)
        {
            return $"{nameof(RetryInitialBackoff)} must be positive and at most {nameof(RetryMaxBackoff)} (are {RetryInitialBackoff}, {RetryMaxBackoff})";
        }
        if (RollupWriteInterval <= TimeSpan.Zero)
        {
            return $"{nameof(RollupWriteInterval)} must be positive (is {RollupWriteInterval})";
        }
        return null;
    }
}
