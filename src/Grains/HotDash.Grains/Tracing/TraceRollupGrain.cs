using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Tracing;

/// <summary>
/// One subject's per-minute request rollups for the last 24 hours (key: <see cref="RollupSubjects"/>).
/// </summary>
/// <remarks>
/// Persisted, but paced: a busy subject gets deltas with every aggregator flush (every second per silo), and writing
/// each would cost more than the dashboard numbers are worth. The state is written at most once per
/// <see cref="TracingPipelineOptions.RollupWriteInterval"/> when it changed, and at deactivation, so a crash loses at
/// most that interval's deltas; the analytics store keeps the exact numbers.
/// </remarks>
public sealed class TraceRollupGrain(
    [PersistentState("rollup", "hotdash")] IPersistentState<TraceRollupState> state,
    IOptions<TracingPipelineOptions> options,
    TimeProvider time,
    ILogger<TraceRollupGrain> logger) : Grain, ITraceRollupGrain
{
    /// <summary>How far back minutes are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const long MinuteMs = 60_000;

    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.RollupWriteInterval;
        this.RegisterGrainTimer(_ => WriteIfDirtyAsync(deactivating: false), new GrainTimerCreationOptions(interval, interval) { Interleave = false, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteIfDirtyAsync(deactivating: true);

    public Task Add(ImmutableArray<RollupDelta> deltas)
    {
        if (deltas.IsDefaultOrEmpty)
        {
            return Task.CompletedTask;
        }
        var cutoff = Cutoff();
        var minutes = state.State.Minutes;
        foreach (var delta in deltas)
        {
            if (delta is null)
            {
                continue;
            }
            var minute = delta.MinuteMs - (((delta.MinuteMs % MinuteMs) + MinuteMs) % MinuteMs);
            if (minute < cutoff)
            {
                continue;
            }
            if (!minutes.TryGetValue(minute, out var bucket))
            {
                minutes.Add(minute, bucket = new RollupBucket());
            }
            bucket.Add(delta);
            _dirty = true;
        }
        Prune(cutoff);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<RollupMinute>> GetMinutes(long fromMinuteMs)
    {
        Prune(Cutoff());
        var result = state.State.Minutes
            .Where(m => m.Key >= fromMinuteMs && m.Value.Requests > 0)
            .OrderBy(m => m.Key)
            .Select(m => m.Value.ToMinute(m.Key))
            .ToImmutableArray();
        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    /// <remarks>A minute counts when its start is in [<paramref name="fromMs"/>, <paramref name="toMs"/>); throws
    /// <see cref="ArgumentException"/> when the range is empty or <paramref name="bucketMs"/> is not positive.</remarks>
    public Task<UsageSeries> Summarize(long fromMs, long toMs, long bucketMs)
    {
        if (toMs <= fromMs)
        {
            throw new ArgumentException($"the range's end ({toMs}) must be after its start ({fromMs})", nameof(toMs));
        }
        if (bucketMs <= 0)
        {
            throw new ArgumentException($"the bucket width must be positive, not {bucketMs}", nameof(bucketMs));
        }
        // Whole minutes, since minutes are what is kept; clamped first so rounding up cannot overflow.
        var clamped = Math.Min(bucketMs, long.MaxValue / 2);
        var width = (clamped + MinuteMs - 1) / MinuteMs * MinuteMs;
        Prune(Cutoff());
        var totals = new RollupBucket();
        var buckets = new SortedDictionary<long, RollupBucket>();
        foreach (var (minute, counts) in state.State.Minutes)
        {
            if (minute < fromMs || minute >= toMs || counts.Requests <= 0)
            {
                continue;
            }
            totals.Add(counts);
            var start = minute - (((minute % width) + width) % width);
            if (!buckets.TryGetValue(start, out var bucket))
            {
                buckets.Add(start, bucket = new RollupBucket());
            }
            bucket.Add(counts);
        }
        if (totals.Requests == 0)
        {
            return Task.FromResult(UsageSeries.Empty);
        }
        var series = new UsageSeries(totals.ToTotals(), [.. buckets.Select(b => new UsageBucket(b.Key, b.Value.ToTotals()))]);
        return Task.FromResult(series);
    }

    private long Cutoff()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return now - (now % MinuteMs) - (long)Retention.TotalMilliseconds;
    }

    private void Prune(long cutoff)
    {
        var minutes = state.State.Minutes;
        List<long>? old = null;
        foreach (var minute in minutes.Keys)
        {
            if (minute < cutoff)
            {
                (old ??= []).Add(minute);
            }
        }
        if (old is null)
        {
            return;
        }
        foreach (var minute in old)
        {
            minutes.Remove(minute);
        }
        _dirty = true;
    }

    private async Task WriteIfDirtyAsync(bool deactivating)
    {
        if (!_dirty)
        {
            return;
        }
        _dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            _dirty = true;
            if (deactivating)
            {
                // A stopping silo with memory storage has no storage left by now: one line, not a stack trace.
                TracingLog.RollupFinalWriteFailed(logger, this.GetPrimaryKeyString(), e.Message);
            }
            else
            {
                TracingLog.RollupWriteFailed(logger, e, this.GetPrimaryKeyString());
            }
        }
    }
}
