namespace HotDash.Bench.Ingest;

/// <summary>One measured phase: the send loop and the wait until its rows were in the store.</summary>
/// <param name="Load">The timed send loop.</param>
/// <param name="Baseline">The phase's rows already stored before it (warm-up and probes).</param>
/// <param name="Target">Rows (traces + observations) expected once everything accepted is stored.</param>
/// <param name="Store">How the wait for them ended.</param>
internal sealed record PhaseReport(LoadResult Load, StoreCount Baseline, long Target, StoreWait Store)
{
    /// <summary>Rows of this phase stored per second, from its first request until the last row was in.</summary>
    public double StoredRowsPerSecond => (Store.Last.Total - Baseline.Total) / Math.Max(Store.Elapsed.TotalSeconds, 1e-9);

    /// <summary>From the last answer to the last row in the store.</summary>
    public TimeSpan Lag => Store.Elapsed - Load.Elapsed;
}
