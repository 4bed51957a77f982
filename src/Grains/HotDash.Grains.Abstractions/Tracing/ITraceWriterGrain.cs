namespace HotDash.Grains;

/// <summary>
/// One shard of the analytics writer (key: <c>0 .. shards-1</c>, <see cref="ShardOf"/>). Every event about one entity
/// reaches the same shard, and a shard handles one batch at a time, so the read-merge-write of an entity's row (a
/// <c>generation-update</c> after its <c>generation-create</c>) never races. While the analytics store is down the
/// shard keeps the archive keys of the batches it could not write (persistent state) and replays them in order from the
/// archive; new batches queue behind them.
/// </summary>
public interface ITraceWriterGrain : IGrainWithIntegerKey
{
    /// <summary>The shard of an entity: a stable hash (FNV-1a of <c>projectId/entityId</c>) modulo <paramref name="shards"/>.</summary>
    static int ShardOf(string projectId, string entityId, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in projectId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ '/') * 16777619u;
        foreach (var c in entityId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)shards);
    }

    /// <summary>
    /// Merges the events (this shard's part of the archived objects <paramref name="archiveKeys"/>, one per project of the
    /// batch) into the stored rows and writes them; when the store fails, or older batches are still pending, the archive
    /// keys are queued (persisted) and replayed later from the archive, keeping only this shard's events. Completes once
    /// written or queued.
    /// </summary>
    Task Write(ImmutableArray<string> archiveKeys, ImmutableArray<TraceEvent> events);

    /// <summary>Queue depth, retries and the last error.</summary>
    Task<TraceWriterStatus> GetStatus();
}
