namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// The time window an overview covers: [<see cref="FromMs"/>, <see cref="ToMs"/>) in epoch ms, split into buckets of
/// <see cref="BucketMs"/> that start at multiples of the width from the epoch (as the store and the rollups align them).
/// </summary>
/// <param name="FromMs">Start (inclusive), on a whole minute.</param>
/// <param name="ToMs">End (exclusive).</param>
/// <param name="BucketMs">Bucket width, whole minutes.</param>
/// <param name="IsLive">The window lies inside the rollup grains' last 24 hours, so they can answer it.</param>
public sealed record UsageWindow(long FromMs, long ToMs, long BucketMs, bool IsLive)
{
    /// <summary>One minute, ms: the rollups' and the store's finest bucket.</summary>
    public const long MinuteMs = 60_000;

    /// <summary>At most this many points per chart (a range gets the finest width that stays within it).</summary>
    public const int MaxPoints = 120;

    /// <summary>How far back the rollup grains keep minutes.</summary>
    public static readonly TimeSpan LiveSpan = TimeSpan.FromHours(24);

    // Widths people read easily; the finest one that keeps a range within MaxPoints is taken.
    private static readonly long[] WidthsMinutes = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];

    /// <summary>The window from <paramref name="fromMs"/> (floored to the minute) to <paramref name="toMs"/>, seen at <paramref name="nowMs"/>.</summary>
    public static UsageWindow Create(long fromMs, long toMs, long nowMs)
    {
        if (toMs <= fromMs)
        {
            throw new ArgumentException($"the window's end ({toMs}) must be after its start ({fromMs})", nameof(toMs));
        }
        var from = FloorMinute(fromMs);
        // The rollups keep the minutes from now's minute back 24 hours (TraceRollupGrain's cutoff).
        var live = from >= FloorMinute(nowMs) - (long)LiveSpan.TotalMilliseconds;
        // Whole minutes of span: the seconds a relative range gains by flooring its start must not tip 30 days into coarser buckets.
        var span = Math.Max(MinuteMs, (toMs - from) / MinuteMs * MinuteMs);
        return new UsageWindow(from, toMs, BucketWidthFor(span), live);
    }

    /// <summary>The finest width of the ladder that splits <paramref name="spanMs"/> into at most <see cref="MaxPoints"/> buckets.</summary>
    public static long BucketWidthFor(long spanMs)
    {
        foreach (var minutes in WidthsMinutes)
        {
            var width = minutes * MinuteMs;
            if (BucketsIn(spanMs, width) <= MaxPoints)
            {
                return width;
            }
        }
        // Longer than the ladder reaches (~2 years): whole weeks, as many as it takes.
        var week = WidthsMinutes[^1] * MinuteMs;
        return (spanMs / MaxPoints + week - 1) / week * week;
    }

    /// <summary>The first bucket's start.</summary>
    public long FirstBucketMs => Floor(FromMs, BucketMs);

    /// <summary>How many buckets the window touches (the first and last may be partial).</summary>
    public int BucketCount => (int)((Floor(ToMs - 1, BucketMs) - FirstBucketMs) / BucketMs + 1);

    /// <summary>Every bucket's start, oldest first.</summary>
    public IEnumerable<long> BucketStarts()
    {
        var first = FirstBucketMs;
        for (var i = 0; i < BucketCount; i++)
        {
            yield return first + i * BucketMs;
        }
    }

    private static long BucketsIn(long spanMs, long width) => (spanMs + width - 1) / width;

    private static long FloorMinute(long ms) => Floor(ms, MinuteMs);

    private static long Floor(long ms, long width) => ms - (((ms % width) + width) % width);
}
