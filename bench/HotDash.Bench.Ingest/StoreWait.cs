namespace HotDash.Bench.Ingest;

/// <summary>How waiting for a phase's rows ended.</summary>
/// <param name="Reached">True when the target count was reached within the timeout.</param>
/// <param name="Last">The last count read (baseline included).</param>
/// <param name="Elapsed">When the target was reached (or the wait gave up), measured from the phase's start.</param>
/// <param name="Error">The last counting error, when the count could not be read at the end.</param>
internal sealed record StoreWait(bool Reached, StoreCount Last, TimeSpan Elapsed, string? Error);
