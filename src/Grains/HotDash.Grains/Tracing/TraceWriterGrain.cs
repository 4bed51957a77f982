using System.Text.Json;
using HotDash.Analytics;
using HotDash.Analytics.Archive;
using HotDash.Analytics.Merge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Tracing;

/// <summary>
/// One writer shard: reads the stored rows of a batch's entities, merges the events into them
/// (<see cref="TraceEventMerger"/>) and writes the merged rows, one batch at a time (not reentrant), so two batches
/// about one entity never race.
/// </summary>
/// <remarks>
/// When the analytics store fails, or older batches are still pending, the batch's archive keys are appended to the
/// persisted pending list and the call returns: the batch is durable from then on, because its events are in the
/// archive. A timer replays the pending batches in order, each read back from the archive and filtered to this shard's
/// events, with a backoff that doubles from <see cref="TracingPipelineOptions.RetryInitialBackoff"/> to
/// <see cref="TracingPipelineOptions.RetryMaxBackoff"/> while the store keeps failing. A replay writes rows that may
/// already be stored (a crash between the write and persisting the pop); the merge and the store's
/// replace-by-version make that harmless. An archived object that is missing or unreadable cannot be replayed and is
/// skipped with an error log, so one bad object does not hold the shard forever.
/// </remarks>
public sealed class TraceWriterGrain(
    [PersistentState("tracewriter", "hotdash")] IPersistentState<TraceWriterState> state,
    IAnalyticsStore store,
    IEventArchive archive,
    IOptions<TracingPipelineOptions> options,
    TimeProvider time,
    ILogger<TraceWriterGrain> logger) : Grain, ITraceWriterGrain
{
    // A replay tick writes a run of pending batches as one merge and one insert (after an outage a shard holds one
    // batch per flush, and replaying them one by one cost a store round trip each); between ticks new Write calls get
    // in (and queue), so a long backlog never holds a caller for more than one store write.
    private const int ReplayBatchesPerWrite = 32;
    private const int ReplayEventsPerWrite = 5_000;

    private static readonly TimeSpan NextTickAfterProgress = TimeSpan.FromMilliseconds(1);

    private readonly TracingPipelineOptions _options = options.Value;
    private int _shard;
    private long _eventsWritten;
    private long _retries;
    private string? _lastError;
    private TimeSpan _backoff;
    private IGrainTimer? _replayTimer;
    private int _replayedSinceFailure;
    private bool _replayScheduled;

    private List<ImmutableArray<string>> Pending => state.State.Pending;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _shard = (int)this.GetPrimaryKeyLong();
        _backoff = _options.RetryInitialBackoff;
        // KeepAlive: an activation with pending batches must not be collected while it replays them.
        _replayTimer = this.RegisterGrainTimer(
            _ => ReplayAsync(),
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        if (Pending.Count > 0)
        {
            ScheduleReplay(_backoff);
        }
        return Task.CompletedTask;
    }

    public async Task Write(ImmutableArray<string> archiveKeys, ImmutableArray<TraceEvent> events)
    {
        if (events.IsDefaultOrEmpty)
        {
            return;
        }
        var keys = archiveKeys.IsDefault ? [] : archiveKeys;
        if (Pending.Count == 0)
        {
            try
            {
                await WriteEventsAsync(events);
                _lastError = null;
                return;
            }
            catch (Exception e)
            {
                _retries++;
                _lastError = e.Message;
                TracingLog.WriteFailed(logger, e, _shard, events.Length, e.Message, Pending.Count + 1);
            }
        }
        // Behind older batches (order per shard), or the store failed: durable once the key is persisted.
        Pending.Add(keys);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not queued after all: the aggregator fails its callers, who send the events again.
            Pending.RemoveAt(Pending.Count - 1);
            throw;
        }
        ScheduleReplay(_backoff);
    }

    public Task<TraceWriterStatus> GetStatus() =>
        Task.FromResult(new TraceWriterStatus(_shard, Pending.Count, _eventsWritten, _retries, _lastError));

    // Never moves a scheduled replay: under steady traffic a reschedule per Write would postpone it forever.
    private void ScheduleReplay(TimeSpan dueTime)
    {
        if (_replayScheduled || _replayTimer is null)
        {
            return;
        }
        _replayScheduled = true;
        _replayTimer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    private async Task ReplayAsync()
    {
        _replayScheduled = false;
        if (Pending.Count > 0)
        {
            int taken;
            try
            {
                var reads = new Task<List<TraceEvent>>[Math.Min(ReplayBatchesPerWrite, Pending.Count)];
                for (var i = 0; i < reads.Length; i++)
                {
                    reads[i] = ReadShardEventsAsync(Pending[i]);
                }
                await Task.WhenAll(reads);
                // In pending order: the merge applies one entity's events by timestamp, batch order breaking ties.
                var events = new List<TraceEvent>();
                taken = 0;
                foreach (var read in reads)
                {
                    if (taken > 0 && events.Count + read.Result.Count > ReplayEventsPerWrite)
                    {
                        break;
                    }
                    events.AddRange(read.Result);
                    taken++;
                }
                await WriteEventsAsync(events);
            }
            catch (Exception e)
            {
                _retries++;
                _lastError = e.Message;
                TracingLog.ReplayFailed(logger, e, _shard, e.Message, Pending.Count, _backoff.TotalMilliseconds);
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.RetryMaxBackoff.Ticks));
                ScheduleReplay(_backoff);
                return;
            }
            Pending.RemoveRange(0, taken);
            _replayedSinceFailure += taken;
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                // The pops are persisted with the next successful write; until then a restart replays these batches again.
                TracingLog.PendingWriteFailed(logger, e, _shard);
            }
        }
        _lastError = null;
        _backoff = _options.RetryInitialBackoff;
        if (Pending.Count > 0)
        {
            ScheduleReplay(NextTickAfterProgress);
            return;
        }
        TracingLog.Recovered(logger, _shard, _replayedSinceFailure);
        _replayedSinceFailure = 0;
    }

    private async Task<List<TraceEvent>> ReadShardEventsAsync(ImmutableArray<string> keys)
    {
        var shards = _options.Shards;
        var events = new List<TraceEvent>();
        foreach (var key in keys)
        {
            var bytes = await archive.GetAsync(key);
            if (bytes is null)
            {
                TracingLog.ArchivedBatchMissing(logger, _shard, key);
                continue;
            }
            ImmutableArray<TraceEvent> archived;
            try
            {
                archived = TraceEventJson.Unpack(bytes);
            }
            catch (Exception e) when (e is InvalidDataException or JsonException)
            {
                TracingLog.ArchivedBatchCorrupt(logger, e, _shard, key);
                continue;
            }
            foreach (var e in archived)
            {
                if (TraceEventMerger.IsMergeable(e) && ITraceWriterGrain.ShardOf(e.ProjectId, e.EntityId, shards) == _shard)
                {
                    events.Add(e);
                }
            }
        }
        return events;
    }

    private async Task WriteEventsAsync(IReadOnlyCollection<TraceEvent> events)
    {
        if (!events.Any(TraceEventMerger.IsMergeable))
        {
            return;
        }
        // Only entities that may have a stored row are read (new ones, NewEntity, are not).
        var keys = TraceEventMerger.KeysOf(events);
        var traces = keys.Traces.IsEmpty ? Task.FromResult<IReadOnlyList<TraceRecord>>([]) : store.GetTracesAsync(keys.Traces);
        var observations = keys.Observations.IsEmpty ? Task.FromResult<IReadOnlyList<ObservationRecord>>([]) : store.GetObservationsAsync(keys.Observations);
        var scores = keys.Scores.IsEmpty ? Task.FromResult<IReadOnlyList<ScoreRecord>>([]) : store.GetScoresAsync(keys.Scores);
        await Task.WhenAll(traces, observations, scores);
        var stored = new AnalyticsRows([.. traces.Result], [.. observations.Result], [.. scores.Result]);
        var merged = TraceEventMerger.Merge(stored, events, time);
        if (keys.Traces.IsEmpty && keys.Observations.IsEmpty && keys.Scores.IsEmpty && events.All(e => e.NewEntity || !TraceEventMerger.IsMergeable(e)))
        {
            merged = merged with { AllNew = true };
        }
        await store.WriteAsync(merged);
        _eventsWritten += events.Count(TraceEventMerger.IsMergeable);
    }
}
