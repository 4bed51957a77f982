namespace HotDash.Grains;

/// <summary>
/// Fixed log-scale latency buckets shared by the aggregators (which count) and the rollup grains (which add and read
/// percentiles): bucket 0 is below 1 ms, bucket i (i &gt;= 1) holds [1.25^(i-1), 1.25^i) ms, the last bucket everything
/// above (~ 10 minutes). Percentiles are the geometric middle of their bucket: within 12% of the true value.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>How many buckets there are.</summary>
    public const int BucketCount = 64;

    private const double Ratio = 1.25;

    /// <summary>The bucket of a latency in milliseconds.</summary>
    public static int BucketOf(double milliseconds)
    {
        if (!(milliseconds >= 1))
        {
            return 0;
        }
        var bucket = 1 + (int)Math.Floor(Math.Log(milliseconds) / Math.Log(Ratio));
        return Math.Min(bucket, BucketCount - 1);
    }

    /// <summary>The representative latency (ms) of a bucket.</summary>
    public static double ValueOf(int bucket) =>
        bucket <= 0 ? 0.5 : Math.Pow(Ratio, bucket - 0.5);

    /// <summary>The <paramref name="quantile"/> (0..1) of the counts, in ms; 0 when there are none.</summary>
    public static double Percentile(ReadOnlySpan<int> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        if (total == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return ValueOf(i);
            }
        }
        return ValueOf(counts.Length - 1);
    }
}
