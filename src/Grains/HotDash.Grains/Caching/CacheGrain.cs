using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotDash.Grains.Caching;

/// <summary>
/// One prompt's cache (key: the cache key): its entry lives in the silo's <see cref="ICacheStore"/>, never in the grain;
/// the grain holds only the call in flight upstream (the leader's lease and its streamed chunks, bounded by
/// <see cref="CacheStoreOptions.MaxEntryBytes"/>) so identical calls coalesce on it, and, for a short grace after it
/// ended, that call's outcome for followers still polling. Once nothing is in flight it deactivates when idle.
/// </summary>
/// <remarks>
/// Not reentrant: <see cref="Lookup"/>'s read-then-lead is atomic, so exactly one caller leads. <see cref="Follow"/> is
/// always interleaved (the contract says so): followers wait on a signal that <see cref="Append"/> and
/// <see cref="Complete"/> fire, and never touch the store. A leader silent longer than its lease
/// (<see cref="CacheStoreOptions.FollowerLeaseTimeout"/> for the whole call, <see cref="CacheStoreOptions.StreamingLeaseTimeout"/>
/// between chunks once it streams) counts as failed: its followers are told to ask upstream, the next caller leads, and
/// its late <see cref="Append"/> / <see cref="Complete"/> are ignored. A watchdog timer keeps the grain active while a
/// call is in flight and expires a silent leader even when nobody polls.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)]
public sealed class CacheGrain(
    ICacheStore store,
    IOptions<CacheStoreOptions> options,
    TimeProvider time,
    ILogger<CacheGrain> logger) : Grain, ICacheGrain
{
    /// <summary>The longest a single <see cref="Follow"/> waits, whatever it asks: below Orleans' 30 s response timeout.</summary>
    public static readonly TimeSpan MaxFollowWait = TimeSpan.FromSeconds(25);

    /// <summary>How long a finished call's outcome stays for followers whose poll comes after it ended.</summary>
    public static readonly TimeSpan OutcomeGrace = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(5);

    private readonly CacheStoreOptions _options = options.Value;
    private InFlight? _inFlight;
    private Outcome? _outcome;
    private TaskCompletionSource _changed = NewSignal();
    private IGrainTimer? _watchdog;

    private string Key => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<CacheLookup> Lookup(CacheLookupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ExpireSilentLeader();
        if (request.Coalesce && _inFlight is { } flying)
        {
            // The leader asking again (a retried call) keeps its lease.
            if (string.Equals(flying.LeaseId, request.CallId, StringComparison.Ordinal))
            {
                return new CacheLookup(CacheLookupStatus.Lead, LeaseId: flying.LeaseId);
            }
            // Its answer is coming anyway, fresher than anything stored: no store read for the twins of a call in flight.
            if (!flying.Overflowed)
            {
                flying.Followed = true;
                return new CacheLookup(CacheLookupStatus.Follow);
            }
        }

        CacheEntry? entry = null;
        try
        {
            entry = await store.GetAsync(Key);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that does not answer makes the cache miss, never the request fail.
            CacheLog.StoreReadFailed(logger, e, store.Type);
        }
        if (entry is not null && IsFresh(entry, request))
        {
            return new CacheLookup(CacheLookupStatus.Hit, entry);
        }
        if (!request.Coalesce)
        {
            return new CacheLookup(CacheLookupStatus.Miss);
        }
        // A leader whose answer outgrew the size cap shares nothing: the caller goes upstream on its own.
        if (_inFlight is { } other)
        {
            other.Followed |= !other.Overflowed;
            return new CacheLookup(other.Overflowed ? CacheLookupStatus.Miss : CacheLookupStatus.Follow);
        }
        var lease = string.IsNullOrEmpty(request.CallId) ? Guid.NewGuid().ToString("N") : request.CallId;
        var now = NowMs();
        _inFlight = new InFlight(lease, now);
        EnsureWatchdog();
        return new CacheLookup(CacheLookupStatus.Lead, LeaseId: lease);
    }

    /// <inheritdoc />
    public async Task<CacheFollowResult> Follow(int fromChunk, TimeSpan wait)
    {
        fromChunk = Math.Max(0, fromChunk);
        var waitMs = (long)Math.Clamp(wait.TotalMilliseconds, 0, MaxFollowWait.TotalMilliseconds);
        var deadline = NowMs() + waitMs;
        while (true)
        {
            ExpireSilentLeader();
            if (_inFlight is not { } flight)
            {
                return Finished(fromChunk);
            }
            flight.Followed = true;
            if (flight.Overflowed)
            {
                return new CacheFollowResult(CacheFollowState.Failed, [], fromChunk, flight.Streaming);
            }
            if (flight.Chunks.Count > fromChunk)
            {
                var chunks = ImmutableArray.CreateBuilder<byte[]>(flight.Chunks.Count - fromChunk);
                for (var i = fromChunk; i < flight.Chunks.Count; i++)
                {
                    chunks.Add(flight.Chunks[i]);
                }
                return new CacheFollowResult(CacheFollowState.Pending, chunks.MoveToImmutable(), flight.Chunks.Count, Streaming: true);
            }
            var now = NowMs();
            var left = deadline - now;
            if (left <= 0)
            {
                return new CacheFollowResult(CacheFollowState.Pending, [], fromChunk, flight.Streaming);
            }
            // Wake for the leader's next move, the end of the wait, or the moment its lease runs out.
            var sleep = Math.Max(1, Math.Min(left, LeaseLeftMs(flight, now)));
            var changed = _changed.Task;
            using var cancel = new CancellationTokenSource();
            var delay = Task.Delay(TimeSpan.FromMilliseconds(sleep), time, cancel.Token);
            await Task.WhenAny(changed, delay);
            await cancel.CancelAsync();
        }
    }

    /// <inheritdoc />
    public Task Append(string leaseId, ImmutableArray<byte[]> chunks)
    {
        if (_inFlight is not { } flight || !string.Equals(flight.LeaseId, leaseId, StringComparison.Ordinal))
        {
            CacheLog.StaleLease(logger, Key, leaseId, "append");
            return Task.CompletedTask;
        }
        flight.Streaming = true;
        flight.LastAppendMs = NowMs();
        if (flight.Overflowed || chunks.IsDefaultOrEmpty)
        {
            Signal();
            return Task.CompletedTask;
        }
        foreach (var chunk in chunks)
        {
            flight.Bytes += chunk.Length;
        }
        if (flight.Bytes > _options.MaxEntryBytes)
        {
            // Past the cap nothing will be stored, so nothing is shared either: drop what was held, fail the followers.
            flight.Overflowed = true;
            flight.Chunks.Clear();
            flight.Chunks.TrimExcess();
            CacheLog.Oversized(logger, Key, flight.Bytes, _options.MaxEntryBytes);
        }
        else
        {
            flight.Chunks.AddRange(chunks);
        }
        Signal();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// With no call in flight at all (its lease expired and nobody took over, or the grain was reactivated), a late
    /// leader's answer is still stored per <paramref name="policy"/>: it is a complete answer and nobody else is bringing one.
    /// </remarks>
    public async Task Complete(string leaseId, CacheEntry? entry, CacheStorePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (_inFlight is { } flight && string.Equals(flight.LeaseId, leaseId, StringComparison.Ordinal))
        {
            var kept = flight.Overflowed || entry is null ? null : Prepare(entry, policy);
            _inFlight = null;
            // Only followers read the outcome: a call nobody followed keeps nothing here (memory stays the store's LRU).
            _outcome = flight.Followed ? new Outcome(kept, NowMs()) : null;
            Signal();
            if (kept is not null && policy.Store)
            {
                await StoreAsync(kept);
            }
            return;
        }
        if (_inFlight is null && entry is not null && policy.Store)
        {
            await StoreAsync(Prepare(entry, policy));
            return;
        }
        CacheLog.StaleLease(logger, Key, leaseId, "complete");
    }

    /// <inheritdoc />
    public async Task Store(CacheEntry entry, CacheStorePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Store)
        {
            await StoreAsync(Prepare(entry, policy));
        }
    }

    /// <inheritdoc />
    public async Task<bool> Delete() => await store.DeleteAsync([Key]) > 0;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool IsFresh(CacheEntry entry, CacheLookupRequest request) =>
        (entry.ExpiresMs is not { } expires || expires > request.NowMs)
        && (request.MaxAgeMs is not { } maxAge || request.NowMs - entry.CreatedMs <= maxAge);

    private CacheEntry Prepare(CacheEntry entry, CacheStorePolicy policy)
    {
        var created = entry.CreatedMs > 0 ? entry.CreatedMs : NowMs();
        // The policy decides the expiry (request ttl, else the key's, else cache_params.ttl); null: none.
        return entry with { Key = Key, CreatedMs = created, ExpiresMs = policy.TtlMs is { } ttl ? created + ttl : null };
    }

    private async Task StoreAsync(CacheEntry entry)
    {
        try
        {
            if (!await store.SetAsync(entry))
            {
                CacheLog.NotStored(logger, Key, entry.SizeBytes, _options.MaxEntryBytes);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CacheLog.StoreWriteFailed(logger, e, store.Type);
            throw;
        }
    }

    private CacheFollowResult Finished(int fromChunk)
    {
        if (_outcome is { } outcome && NowMs() - outcome.AtMs <= OutcomeGrace.TotalMilliseconds && outcome.Entry is { } entry)
        {
            var all = entry.Chunks.IsDefault ? [] : entry.Chunks;
            var rest = fromChunk >= all.Length ? [] : all[fromChunk..];
            return new CacheFollowResult(CacheFollowState.Completed, rest, Math.Max(fromChunk, all.Length), entry.Streamed, entry);
        }
        // Failed, left, timed out, or ended so long ago (or on another activation) that its answer is gone: ask upstream.
        return new CacheFollowResult(CacheFollowState.Failed, [], fromChunk, Streaming: false);
    }

    private long LeaseLeftMs(InFlight flight, long now)
    {
        var left = flight.StartedMs + (long)_options.FollowerLeaseTimeout.TotalMilliseconds - now;
        if (flight.Streaming)
        {
            left = Math.Min(left, flight.LastAppendMs + (long)_options.StreamingLeaseTimeout.TotalMilliseconds - now);
        }
        return left;
    }

    private void ExpireSilentLeader()
    {
        if (_inFlight is { } flight && LeaseLeftMs(flight, NowMs()) <= 0)
        {
            CacheLog.LeaderSilent(logger, Key, flight.LeaseId, flight.Streaming);
            _inFlight = null;
            _outcome = new Outcome(null, NowMs());
            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    // Keeps the grain active while a call is in flight (its followers and its lease live only here) and expires a silent
    // leader without waiting for a poll; stops once nothing is in flight and the last outcome's grace is over.
    private void EnsureWatchdog()
    {
        _watchdog ??= this.RegisterGrainTimer(_ => OnWatchdog(), new GrainTimerCreationOptions(WatchdogPeriod, WatchdogPeriod)
        {
            Interleave = true,
            KeepAlive = true,
        });
    }

    private Task OnWatchdog()
    {
        ExpireSilentLeader();
        if (_inFlight is null && (_outcome is null || NowMs() - _outcome.AtMs > OutcomeGrace.TotalMilliseconds))
        {
            _outcome = null;
            _watchdog?.Dispose();
            _watchdog = null;
        }
        return Task.CompletedTask;
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class InFlight(string leaseId, long startedMs)
    {
        public string LeaseId { get; } = leaseId;

        public long StartedMs { get; } = startedMs;

        public long LastAppendMs { get; set; } = startedMs;

        public bool Streaming { get; set; }

        public bool Overflowed { get; set; }

        /// <summary>Someone was told to follow this call (so its outcome must be kept for their polls).</summary>
        public bool Followed { get; set; }

        public long Bytes { get; set; }

        public List<byte[]> Chunks { get; } = [];
    }

    private sealed record Outcome(CacheEntry? Entry, long AtMs);
}
