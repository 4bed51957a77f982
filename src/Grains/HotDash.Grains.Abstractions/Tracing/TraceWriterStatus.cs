namespace HotDash.Grains;

/// <summary>One writer shard's state.</summary>
/// <param name="Shard">The shard number.</param>
/// <param name="PendingBatches">Archived batches waiting to be written (the analytics store was unavailable).</param>
/// <param name="EventsWritten">Events merged and written since activation.</param>
/// <param name="Retries">Failed write attempts since activation.</param>
/// <param name="LastError">The last store error, if the last attempt failed.</param>
[GenerateSerializer, Immutable, Alias("hotdash.TraceWriterStatus")]
public sealed record TraceWriterStatus(
    [property: Id(0)] int Shard,
    [property: Id(1)] int PendingBatches,
    [property: Id(2)] long EventsWritten,
    [property: Id(3)] long Retries,
    [property: Id(4)] string? LastError);
