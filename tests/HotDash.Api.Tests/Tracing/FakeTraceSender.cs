using System.Collections.Concurrent;
using System.Collections.Immutable;
using HotDash.Api.Tracing;
using HotDash.Grains;

namespace HotDash.Api.Tests.Tracing;

/// <summary>An aggregator stand-in for the shipper's unit tests: fails the first <c>failures</c> sends (or always, with a given error), records every attempt.</summary>
internal sealed class FakeTraceSender(int failures = 0, Func<Exception>? alwaysFail = null) : ITraceSender
{
    private readonly ConcurrentQueue<(ImmutableArray<TraceEvent> Events, bool Taken)> attempts = new();
    private readonly ConcurrentDictionary<string, TraceEvent> taken = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int remainingFailures = failures;
    private volatile bool held;

    public IReadOnlyList<(ImmutableArray<TraceEvent> Events, bool Taken)> Attempts => [.. attempts];

    /// <summary>The events taken, by event id.</summary>
    public IReadOnlyDictionary<string, TraceEvent> Taken => taken;

    public void Hold() => held = true;

    public void Open() => gate.TrySetResult();

    public async Task SendAsync(ImmutableArray<TraceEvent> events, CancellationToken cancellationToken)
    {
        if (held)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (alwaysFail is not null)
        {
            attempts.Enqueue((events, false));
            throw alwaysFail();
        }
        if (Interlocked.Decrement(ref remainingFailures) >= 0)
        {
            attempts.Enqueue((events, false));
            throw new TimeoutException("the fake aggregator is down");
        }
        foreach (var e in events)
        {
            taken.TryAdd(e.EventId, e);
        }
        attempts.Enqueue((events, true));
    }

    /// <summary>Waits until <paramref name="count"/> distinct events were taken.</summary>
    public async Task TakenAtLeastAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (taken.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {taken.Count} of {count} events were taken");
            await Task.Delay(5);
        }
    }
}
