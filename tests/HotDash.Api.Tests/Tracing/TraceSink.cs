using System.Collections.Concurrent;
using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Tests.Tracing;

/// <summary>Every trace event that reached the test silo's aggregator (<see cref="RecordingTraceAggregatorGrain"/>), in arrival order.</summary>
public sealed class TraceSink
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a hang guard: the shipper flushes every second

    private readonly ConcurrentQueue<TraceEvent> events = new();
    private int failuresLeft;

    public IReadOnlyList<TraceEvent> Events => [.. events];

    /// <summary>Batches received (accepted or refused).</summary>
    public int Batches;

    /// <summary>Makes the next <paramref name="count"/> batches fail, as an aggregator that cannot archive them would.</summary>
    public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

    internal void Add(ImmutableArray<TraceEvent> batch)
    {
        Interlocked.Increment(ref Batches);
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            throw new InvalidOperationException("the test aggregator refuses this batch");
        }
        foreach (var e in batch)
        {
            events.Enqueue(e);
        }
    }

    /// <summary>The trace and generation events of one call (by its <c>x-litellm-call-id</c>), once both arrived.</summary>
    public async Task<(TraceEvent Trace, TraceEvent Generation)> ForCallAsync(string callId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var all = Events;
            var trace = all.FirstOrDefault(e => e.EventId == callId + "-trace");
            var generation = all.FirstOrDefault(e => e.EventId == callId + "-generation");
            if (trace is not null && generation is not null)
            {
                return (trace, generation);
            }
            Assert.True(DateTime.UtcNow < deadline, $"the trace events of call {callId} never reached the aggregator ({all.Count} events did)");
            await Task.Delay(50);
        }
    }
}
