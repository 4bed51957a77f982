namespace HotDash.Grains.Quotas;

/// <summary>
/// A sliding 60 s window of 60 one-second buckets in a ring, indexed by Unix second. A bucket counts while its
/// second is one of the last 60 (so usage leaves the window between 59 and 60 s after it happened), and is reused
/// when its slot comes round again. Every operation is O(60) or less and allocates nothing.
/// </summary>
internal sealed class SlidingWindow
{
    /// <summary>The window's length in seconds (and buckets).</summary>
    public const int Length = 60;

    /// <summary>The window's length.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(Length);

    private const long Empty = long.MinValue;

    private readonly long[] _second = new long[Length];
    private readonly long[] _requests = new long[Length];
    // Settled tokens of requests admitted in that second.
    private readonly long[] _tokens = new long[Length];
    // Estimates of reservations admitted in that second and still in flight: only for the reset time, never for
    // admission (reserved tokens count in full, however old, through UsageCounters.ReservedTokens).
    private readonly long[] _pending = new long[Length];

    public SlidingWindow() => Array.Fill(_second, Empty);

    /// <summary>Requests and settled tokens counted at <paramref name="now"/>.</summary>
    public void Totals(long now, out long requests, out long tokens)
    {
        requests = 0;
        tokens = 0;
        for (var i = 0; i < Length; i++)
        {
            if (Counts(_second[i], now))
            {
                requests += _requests[i];
                tokens += _tokens[i];
            }
        }
    }

    /// <summary>Counts an admitted request in its second.</summary>
    public void Admit(long second, long estimatedTokens)
    {
        var slot = Touch(second);
        _requests[slot]++;
        _pending[slot] += estimatedTokens;
    }

    /// <summary>Puts a settled request's real tokens in its admission second, if that second still counts.</summary>
    public void Settle(long second, long estimatedTokens, long actualTokens, long now)
    {
        if (Holds(second, now, out var slot))
        {
            _pending[slot] -= estimatedTokens;
            _tokens[slot] += actualTokens;
        }
    }

    /// <summary>A released request keeps its request count; its estimate no longer holds the bucket.</summary>
    public void Release(long second, long estimatedTokens, long now)
    {
        if (Holds(second, now, out var slot))
        {
            _pending[slot] -= estimatedTokens;
        }
    }

    /// <summary>A cancelled request never happened: count and estimate go.</summary>
    public void Cancel(long second, long estimatedTokens, long now)
    {
        if (Holds(second, now, out var slot))
        {
            _requests[slot]--;
            _pending[slot] -= estimatedTokens;
        }
    }

    /// <summary>Tokens of a late settlement (its reservation expired), if its second still counts.</summary>
    public void AddTokens(long second, long tokens, long now)
    {
        if (Holds(second, now, out var slot))
        {
            _tokens[slot] += tokens;
        }
    }

    /// <summary>Re-adds an in-flight reservation's estimate after a reactivation.</summary>
    public void RestorePending(long second, long estimatedTokens, long now)
    {
        if (Holds(second, now, out var slot))
        {
            _pending[slot] += estimatedTokens;
        }
    }

    /// <summary>
    /// How long until the oldest counted requests that add up to <paramref name="needed"/> have left the window;
    /// <see langword="null"/> when the window does not hold that many.
    /// </summary>
    public TimeSpan? RequestsFreeIn(long needed, DateTimeOffset now) => FreeIn(_requests, needed, now);

    /// <summary>As <see cref="RequestsFreeIn"/>, for settled tokens.</summary>
    public TimeSpan? TokensFreeIn(long needed, DateTimeOffset now) => FreeIn(_tokens, needed, now);

    /// <summary>Time until the oldest second holding requests leaves the window; zero when none does.</summary>
    public TimeSpan RequestsResetIn(DateTimeOffset now)
    {
        var nowSecond = now.ToUnixTimeSeconds();
        for (var s = nowSecond - Length + 1; s <= nowSecond; s++)
        {
            var slot = Slot(s);
            if (_second[slot] == s && _requests[slot] > 0)
            {
                return LeavesAt(s) - now;
            }
        }
        return TimeSpan.Zero;
    }

    /// <summary>Time until the oldest second holding tokens (settled, or reserved by requests in flight) leaves the window; zero when none does.</summary>
    public TimeSpan TokensResetIn(DateTimeOffset now)
    {
        var nowSecond = now.ToUnixTimeSeconds();
        for (var s = nowSecond - Length + 1; s <= nowSecond; s++)
        {
            var slot = Slot(s);
            if (_second[slot] == s && (_tokens[slot] > 0 || _pending[slot] > 0))
            {
                return LeavesAt(s) - now;
            }
        }
        return TimeSpan.Zero;
    }

    /// <summary>Whether nothing counts at <paramref name="now"/>.</summary>
    public bool IsEmpty(long now)
    {
        for (var i = 0; i < Length; i++)
        {
            if (Counts(_second[i], now) && (_requests[i] != 0 || _tokens[i] != 0 || _pending[i] != 0))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The seconds that still count, for persisting.</summary>
    public List<QuotaBucketState> Export(long now)
    {
        var buckets = new List<QuotaBucketState>();
        for (var s = now - Length + 1; s <= now; s++)
        {
            var slot = Slot(s);
            if (_second[slot] == s && (_requests[slot] != 0 || _tokens[slot] != 0))
            {
                buckets.Add(new QuotaBucketState(s, _requests[slot], _tokens[slot]));
            }
        }
        return buckets;
    }

    /// <summary>Loads persisted seconds; those that no longer count are dropped.</summary>
    public void Import(List<QuotaBucketState>? buckets, long now)
    {
        if (buckets is null)
        {
            return;
        }
        foreach (var b in buckets)
        {
            if (b is not null && Counts(b.Second, now))
            {
                var slot = Touch(b.Second);
                _requests[slot] += b.Requests;
                _tokens[slot] += b.Tokens;
            }
        }
    }

    private static bool Counts(long second, long now) => second > now - Length && second <= now;

    private static int Slot(long second) => (int)(((second % Length) + Length) % Length);

    private static DateTimeOffset LeavesAt(long second) => DateTimeOffset.FromUnixTimeSeconds(second + Length);

    private bool Holds(long second, long now, out int slot)
    {
        slot = Slot(second);
        return Counts(second, now) && _second[slot] == second;
    }

    private int Touch(long second)
    {
        var slot = Slot(second);
        if (_second[slot] != second)
        {
            _second[slot] = second;
            _requests[slot] = 0;
            _tokens[slot] = 0;
            _pending[slot] = 0;
        }
        return slot;
    }

    private TimeSpan? FreeIn(long[] amounts, long needed, DateTimeOffset now)
    {
        var nowSecond = now.ToUnixTimeSeconds();
        long freed = 0;
        for (var s = nowSecond - Length + 1; s <= nowSecond; s++)
        {
            var slot = Slot(s);
            if (_second[slot] == s)
            {
                freed += amounts[slot];
                if (freed >= needed)
                {
                    return LeavesAt(s) - now;
                }
            }
        }
        return null;
    }
}
