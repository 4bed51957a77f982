namespace HotDash.Grains.Tracing;

/// <summary>One minute of one rollup subject (part of <see cref="TraceRollupState"/>).</summary>
[GenerateSerializer, Alias("hotdash.RollupBucket")]
public sealed class RollupBucket
{
    /// <summary>Requests.</summary>
    [Id(0)] public long Requests { get; set; }

    /// <summary>Failed requests.</summary>
    [Id(1)] public long Errors { get; set; }

    /// <summary>Input tokens.</summary>
    [Id(2)] public long InputTokens { get; set; }

    /// <summary>Output tokens.</summary>
    [Id(3)] public long OutputTokens { get; set; }

    /// <summary>Cost in USD.</summary>
    [Id(4)] public decimal Cost { get; set; }

    /// <summary>Cache hits.</summary>
    [Id(5)] public long CacheHits { get; set; }

    /// <summary>Request counts per <see cref="LatencyHistogram"/> bucket.</summary>
    [Id(6)] public int[] Histogram { get; set; } = new int[LatencyHistogram.BucketCount];

    /// <summary>Adds a delta.</summary>
    public void Add(RollupDelta delta)
    {
        Requests += delta.Requests;
        Errors += delta.Errors;
        InputTokens += delta.InputTokens;
        OutputTokens += delta.OutputTokens;
        Cost += delta.Cost;
        CacheHits += delta.CacheHits;
        if (Histogram.Length != LatencyHistogram.BucketCount)
        {
            var resized = new int[LatencyHistogram.BucketCount];
            Array.Copy(Histogram, resized, Math.Min(Histogram.Length, resized.Length));
            Histogram = resized;
        }
        if (!delta.LatencyHistogram.IsDefault)
        {
            var n = Math.Min(delta.LatencyHistogram.Length, Histogram.Length);
            for (var i = 0; i < n; i++)
            {
                Histogram[i] += delta.LatencyHistogram[i];
            }
        }
    }

    /// <summary>The minute as the grain interface reports it.</summary>
    public RollupMinute ToMinute(long minuteMs) => new(
        minuteMs, Requests, Errors, InputTokens, OutputTokens, Cost, CacheHits,
        LatencyHistogram.Percentile(Histogram, 0.50),
        LatencyHistogram.Percentile(Histogram, 0.95),
        LatencyHistogram.Percentile(Histogram, 0.99));

    /// <summary>Adds another bucket's counters and histogram (summaries over several minutes).</summary>
    public void Add(RollupBucket other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Requests += other.Requests;
        Errors += other.Errors;
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        Cost += other.Cost;
        CacheHits += other.CacheHits;
        var n = Math.Min(other.Histogram.Length, Histogram.Length);
        for (var i = 0; i < n; i++)
        {
            Histogram[i] += other.Histogram[i];
        }
    }

    /// <summary>The counters as usage totals, percentiles from the histogram.</summary>
    public UsageTotals ToTotals() => new(
        Requests, Errors, InputTokens, OutputTokens, Cost, CacheHits,
        LatencyHistogram.Percentile(Histogram, 0.50),
        LatencyHistogram.Percentile(Histogram, 0.95),
        LatencyHistogram.Percentile(Histogram, 0.99));
}
