namespace HotDash.Grains;

/// <summary>One aggregator activation's counters.</summary>
/// <param name="Buffered">Events waiting for the next flush.</param>
/// <param name="EventsFlushed">Events archived and handed to writers since activation.</param>
/// <param name="BatchesFlushed">Batches flushed since activation.</param>
/// <param name="ArchiveFailures">Flushes whose archive write failed (their callers were told, and retry).</param>
[GenerateSerializer, Immutable, Alias("hotdash.TraceAggregatorStatus")]
public sealed record TraceAggregatorStatus(
    [property: Id(0)] int Buffered,
    [property: Id(1)] long EventsFlushed,
    [property: Id(2)] long BatchesFlushed,
    [property: Id(3)] long ArchiveFailures);
