using HotDash.Analytics;
using HotDash.Analytics.Archive;
using HotDash.Analytics.Merge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace HotDash.Grains.Tracing;

/// <summary>
/// Buffers trace events and flushes them as batches (at <see cref="TracingPipelineOptions.MaxBatchEvents"/>, every
/// <see cref="TracingPipelineOptions.FlushInterval"/>, at deactivation): archive first (one gzip NDJSON object per project),
/// then each writer shard gets its events, then the callers are answered, then the rollup deltas go out one-way.
/// </summary>
/// <remarks>
/// A stateless worker (an activation per silo that receives events, more under load, each with its own buffer) and
/// reentrant: <see cref="Add"/> only appends and waits on its batch, so many callers share one flush. Flushes of one
/// activation run one at a time, in order, so a writer shard sees this activation's batches in the order they were
/// added. Nothing is lost by a failure here: a caller whose batch failed is told and sends it again (events are
/// idempotent), and once an archive object exists its writer keeps its key until the events are stored. Deactivation
/// waits for running calls, and with them for the flush timer, so the buffer is empty by then; whatever is left is
/// flushed in <see cref="OnDeactivateAsync"/> all the same.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class TraceAggregatorGrain(
    IEventArchive archive,
    IOptions<TracingPipelineOptions> options,
    TimeProvider time,
    ILogger<TraceAggregatorGrain> logger) : Grain, ITraceAggregatorGrain
{
    private readonly TracingPipelineOptions _options = options.Value;
    private readonly Queue<AggregatorBatch> _closed = new();
    private AggregatorBatch _open = new();
    private Task _flushing = Task.CompletedTask;
    private bool _flushLoopRunning;
    private int _inFlight;
    private long _eventsFlushed;
    private long _batchesFlushed;
    private long _archiveFailures;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = _options.FlushInterval;
        this.RegisterGrainTimer(_ => OnFlushTimer(), new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = false });
        // Wake every writer shard: one that holds pending batches from before a silo restart starts replaying them
        // even if no new event reaches it.
        for (var shard = 0; shard < _options.Shards; shard++)
        {
            GrainFactory.GetGrain<ITraceWriterGrain>(shard).GetStatus().Ignore();
        }
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var buffered = Buffered;
        try
        {
            CloseOpenBatch();
            EnsureFlushing();
            await _flushing.WaitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            TracingLog.DeactivationFlushFailed(logger, e, buffered);
        }
    }

    public Task Add(ImmutableArray<TraceEvent> events)
    {
        if (events.IsDefaultOrEmpty)
        {
            return Task.CompletedTask;
        }
        // Split across batches so no flush exceeds MaxBatchEvents; the caller waits for every batch it landed in.
        Task? first = null;
        List<Task>? more = null;
        var offset = 0;
        while (offset < events.Length)
        {
            var take = Math.Min(events.Length - offset, _options.MaxBatchEvents - _open.Count);
            for (var i = offset; i < offset + take; i++)
            {
                _open.Events.Add(events[i]);
            }
            offset += take;
            if (first is null)
            {
                first = _open.Completion;
            }
            else
            {
                (more ??= [first]).Add(_open.Completion);
            }
            if (_open.Count >= _options.MaxBatchEvents)
            {
                CloseOpenBatch();
            }
        }
        EnsureFlushing();
        return more is null ? first! : Task.WhenAll(more);
    }

    public Task<TraceAggregatorStatus> GetStatus() =>
        Task.FromResult(new TraceAggregatorStatus(Buffered, _eventsFlushed, _batchesFlushed, _archiveFailures));

    private int Buffered
    {
        get
        {
            var count = _open.Count + _inFlight;
            foreach (var batch in _closed)
            {
                count += batch.Count;
            }
            return count;
        }
    }

    private Task OnFlushTimer()
    {
        CloseOpenBatch();
        EnsureFlushing();
        // The next tick waits for this flush: a slow archive never piles up flushes.
        return _flushing;
    }

    private void CloseOpenBatch()
    {
        if (_open.Count == 0)
        {
            return;
        }
        _closed.Enqueue(_open);
        _open = new AggregatorBatch();
    }

    private void EnsureFlushing()
    {
        if (_flushLoopRunning || _closed.Count == 0)
        {
            return;
        }
        _flushLoopRunning = true;
        _flushing = FlushLoop();
    }

    private async Task FlushLoop()
    {
        try
        {
            while (_closed.TryDequeue(out var batch))
            {
                _inFlight = batch.Count;
                try
                {
                    await FlushAsync(batch);
                }
                finally
                {
                    _inFlight = 0;
                }
            }
        }
        finally
        {
            _flushLoopRunning = false;
        }
    }

    private async Task FlushAsync(AggregatorBatch batch)
    {
        var events = batch.Events;
        var now = time.GetUtcNow();
        // Time-ordered ids: a project's objects list in the order they were written.
        var batchId = Guid.CreateVersion7(now).ToString("N");

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var puts = new List<Task>();
            foreach (var project in events.Where(e => e.ProjectId.Length > 0).GroupBy(e => e.ProjectId, StringComparer.Ordinal))
            {
                var key = archive.KeyFor(project.Key, now, batchId);
                keys.Add(project.Key, key);
                puts.Add(archive.PutAsync(key, TraceEventJson.Pack(project)));
            }
            await Task.WhenAll(puts);
        }
        catch (Exception e)
        {
            _archiveFailures++;
            TracingLog.ArchiveFailed(logger, e, events.Count);
            batch.Fail(e);
            return;
        }

        try
        {
            var shards = _options.Shards;
            var writes = new List<Task>();
            foreach (var shard in events.Where(e => e.ProjectId.Length > 0 && TraceEventMerger.IsMergeable(e)).GroupBy(e => ITraceWriterGrain.ShardOf(e.ProjectId, e.EntityId, shards)))
            {
                var shardEvents = shard.ToImmutableArray();
                var shardKeys = shardEvents.Select(e => e.ProjectId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    .Select(p => keys[p]).ToImmutableArray();
                writes.Add(GrainFactory.GetGrain<ITraceWriterGrain>(shard.Key).Write(shardKeys, shardEvents));
            }
            await Task.WhenAll(writes);
        }
        catch (Exception e)
        {
            TracingLog.HandOffFailed(logger, e, events.Count);
            batch.Fail(e);
            return;
        }

        _eventsFlushed += events.Count;
        _batchesFlushed++;
        batch.Complete();
        SendRollups(events);
    }

    // Gateway requests are the GENERATION creates that carry a model group; updates would count a request twice.
    private void SendRollups(List<TraceEvent> events)
    {
        Dictionary<string, Dictionary<long, RollupAccumulator>>? subjects = null;
        foreach (var e in events)
        {
            if (e.Observation is not { ModelGroup: { Length: > 0 } modelGroup } generation
                || !e.Type.EndsWith("-create", StringComparison.Ordinal)
                || (generation.Type?.ToUpperInvariant() ?? TraceEventMerger.ObservationTypeOf(e.Type)) != "GENERATION")
            {
                continue;
            }
            subjects ??= new Dictionary<string, Dictionary<long, RollupAccumulator>>(StringComparer.Ordinal);
            var start = generation.StartTimeMs ?? e.TimestampMs;
            var minute = start - (((start % 60_000) + 60_000) % 60_000);
            Accumulate(subjects, RollupSubjects.All, minute, generation);
            Accumulate(subjects, RollupSubjects.Team(generation.TeamId), minute, generation);
            Accumulate(subjects, RollupSubjects.Model(modelGroup), minute, generation);
        }
        if (subjects is null)
        {
            return;
        }
        foreach (var (subject, minutes) in subjects)
        {
            var deltas = minutes.OrderBy(m => m.Key).Select(m => m.Value.ToDelta()).ToImmutableArray();
            GrainFactory.GetGrain<ITraceRollupGrain>(subject).Add(deltas).Ignore();
        }
    }

    private static void Accumulate(Dictionary<string, Dictionary<long, RollupAccumulator>> subjects, string subject, long minute, ObservationRecord generation)
    {
        if (!subjects.TryGetValue(subject, out var minutes))
        {
            subjects.Add(subject, minutes = []);
        }
        if (!minutes.TryGetValue(minute, out var accumulator))
        {
            minutes.Add(minute, accumulator = new RollupAccumulator(minute));
        }
        accumulator.Add(generation);
    }
}
