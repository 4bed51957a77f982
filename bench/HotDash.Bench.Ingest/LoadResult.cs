namespace HotDash.Bench.Ingest;

/// <summary>One timed send phase: what was sent and accepted, in how long, at which request latencies.</summary>
internal sealed class LoadResult
{
    public required long Requests { get; init; }

    public required long UnitsSent { get; init; }

    public required long Accepted { get; init; }

    public required long Failed { get; init; }

    /// <summary>From the first request sent to the last answer received.</summary>
    public required TimeSpan Elapsed { get; init; }

    public required Latencies Latencies { get; init; }

    /// <summary>True when the duration cap ended the phase before every request was sent.</summary>
    public required bool Capped { get; init; }

    /// <summary>Up to a few distinct failure descriptions, for the output.</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    public double AcceptedPerSecond => Accepted / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double RequestsPerSecond => Requests / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
