namespace HotDash.Bench.Ingest;

/// <summary>Request latencies of one phase, in milliseconds; added from every client, read once at the end.</summary>
internal sealed class Latencies
{
    private readonly List<double> _ms = [];
    private readonly Lock _lock = new();

    public void Add(TimeSpan elapsed)
    {
        lock (_lock)
        {
            _ms.Add(elapsed.TotalMilliseconds);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ms.Count;
            }
        }
    }

    /// <summary>The nearest-rank percentile (0-100), NaN when nothing was recorded.</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_ms.Count == 0)
            {
                return double.NaN;
            }
            var sorted = _ms.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
