namespace HotDash.Grains;

/// <summary>
/// Where trace events enter the silo (key: <see cref="DefaultKey"/>, a stateless worker: one or more activations per
/// silo, each with its own buffer). Events are buffered and flushed as one batch (at <c>MaxBatchEvents</c>, every
/// <c>FlushInterval</c>, and on deactivation): the raw batch is archived (gzip NDJSON, one object a batch), then each
/// event goes to the <see cref="ITraceWriterGrain"/> shard of its entity, which merges and writes it to the analytics
/// store, and per-minute deltas go to the <see cref="ITraceRollupGrain"/>s.
/// </summary>
public interface ITraceAggregatorGrain : IGrainWithIntegerKey
{
    /// <summary>The key every caller uses.</summary>
    const long DefaultKey = 0;

    /// <summary>
    /// Adds events. Completes once they are archived and accepted by their writer shards (durable: a writer that cannot
    /// reach the analytics store keeps the batch's archive key and replays it in order), so a caller that keeps a batch
    /// until this returns, and retries it when it fails, loses nothing. Re-sending events is harmless (idempotent by
    /// entity id and envelope timestamp).
    /// </summary>
    Task Add(ImmutableArray<TraceEvent> events);

    /// <summary>This activation's counters (buffered events, batches flushed, archive failures).</summary>
    Task<TraceAggregatorStatus> GetStatus();
}
