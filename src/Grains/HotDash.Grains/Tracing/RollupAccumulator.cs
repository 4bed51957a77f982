namespace HotDash.Grains.Tracing;

/// <summary>What one flush adds to one subject's minute, before it becomes a <see cref="RollupDelta"/>.</summary>
internal sealed class RollupAccumulator(long minuteMs)
{
    private readonly int[] _histogram = new int[LatencyHistogram.BucketCount];
    private long _requests;
    private long _errors;
    private long _input;
    private long _output;
    private decimal _cost;
    private long _cacheHits;

    public void Add(ObservationRecord generation)
    {
        _requests++;
        if (string.Equals(generation.Level, "ERROR", StringComparison.OrdinalIgnoreCase))
        {
            _errors++;
        }
        if (generation.UsageDetails is { } usage)
        {
            _input += usage.GetValueOrDefault(UsageKeys.Input);
            _output += usage.GetValueOrDefault(UsageKeys.Output);
        }
        _cost += generation.TotalCost ?? generation.CostDetails?.GetValueOrDefault(UsageKeys.Total) ?? 0m;
        if (generation.CacheHit == true)
        {
            _cacheHits++;
        }
        if (generation is { StartTimeMs: { } start, EndTimeMs: { } end })
        {
            _histogram[LatencyHistogram.BucketOf(end - start)]++;
        }
    }

    public RollupDelta ToDelta() =>
        new(minuteMs, _requests, _errors, _input, _output, _cost, _cacheHits, [.. _histogram]);
}
