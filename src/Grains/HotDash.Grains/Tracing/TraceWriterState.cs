namespace HotDash.Grains.Tracing;

/// <summary>The persisted state of one <see cref="TraceWriterGrain"/> (storage <c>hotdash</c>, state name <c>tracewriter</c>).</summary>
[GenerateSerializer, Alias("hotdash.TraceWriterState")]
public sealed class TraceWriterState
{
    /// <summary>
    /// The batches not written yet, oldest first: each the archive keys of one flushed batch (one per project). Only the
    /// keys: the events are read back from the archive when the batch is replayed.
    /// </summary>
    [Id(0)] public List<ImmutableArray<string>> Pending { get; set; } = [];
}
