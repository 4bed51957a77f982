namespace HotDash.Grains.Tracing;

/// <summary>Events buffered by one aggregator activation for one flush, and the callers waiting for it.</summary>
internal sealed class AggregatorBatch
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<TraceEvent> Events { get; } = [];

    public int Count => Events.Count;

    /// <summary>Completes when the batch is archived and accepted by its writers; faults when either failed.</summary>
    public Task Completion => _done.Task;

    public void Complete() => _done.TrySetResult();

    public void Fail(Exception exception) => _done.TrySetException(exception);
}
