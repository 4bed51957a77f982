namespace HotDash.Hosting.Configuration;

/// <summary>
/// <c>hotdash.tracing</c>: whether gateways record a trace per request and how the pipeline batches them. Every value can
/// also come from the environment (<c>HOTDASH_TRACING</c>, <c>HOTDASH_TRACING_PROJECT</c>, ...), which wins over the file.
/// </summary>
public sealed class TracingSettings
{
    /// <summary>Tracing on (<c>enabled</c>, <c>HOTDASH_TRACING</c>), default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The project gateway traces are recorded under (<c>project_id</c>, <c>HOTDASH_TRACING_PROJECT</c>), default <c>default</c>.</summary>
    public string ProjectId { get; init; } = "default";

    /// <summary>
    /// The Langfuse environment gateway traces and generations carry (<c>environment</c>, or
    /// <c>LANGFUSE_TRACING_ENVIRONMENT</c> as the Langfuse SDKs read it), default <c>default</c>: lowercase letters, digits,
    /// <c>-</c> and <c>_</c>, at most 40, not starting with <c>langfuse</c> (Langfuse's rule).
    /// </summary>
    public string Environment { get; init; } = "default";

    /// <summary>Events a gateway holds while no silo takes them (<c>buffer_capacity</c>, <c>HOTDASH_TRACING_BUFFER_CAPACITY</c>); beyond it new events are dropped and counted (the ones held keep their place in line).</summary>
    public int BufferCapacity { get; init; } = 100_000;

    /// <summary>Events per batch (<c>batch_size</c>, <c>HOTDASH_TRACING_BATCH_SIZE</c>), default 1,000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>A batch is shipped at the latest this long after its first event (<c>flush_interval_ms</c>, <c>HOTDASH_TRACING_FLUSH_INTERVAL_MS</c>), default 1 s, at most 10 s (a silo stopping waits for the flush).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Writer shards (<c>shards</c>, <c>HOTDASH_TRACING_SHARDS</c>), default 4: batches are written in order per shard.</summary>
    public int Shards { get; init; } = 4;
}
