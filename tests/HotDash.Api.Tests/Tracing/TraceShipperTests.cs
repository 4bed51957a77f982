using System.Diagnostics;
using HotDash.Api.Providers;
using HotDash.Api.Tracing;
using HotDash.Grains;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDash.Api.Tests.Tracing;

public sealed class TraceShipperTests
{
    private static readonly TokenCounter Tokens = new();

    private static TraceShipper Shipper(FakeTraceSender sender, int capacity = 1000, int maxBatch = 100, TimeSpan? shutdown = null) => new(
        new BatchShipperSettings(capacity, maxBatch, TimeSpan.FromMilliseconds(20))
        {
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            ShutdownTimeout = shutdown ?? TimeSpan.FromSeconds(10),
        },
        sender, new TraceEventBuilder("default", false, Tokens), TimeProvider.System, NullLogger<TraceShipper>.Instance);

    internal static TraceCapture Capture(int i)
    {
        var capture = new TraceCapture(TimeProvider.System, EndpointKind.ChatCompletions)
        {
            CallId = $"call-{i:D5}",
            RequestBody = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""),
            ModelGroup = "m",
            StartTime = DateTimeOffset.UtcNow,
            EndTime = DateTimeOffset.UtcNow,
            Success = true,
            StatusCode = 200,
            Usage = new TokenUsage(3, 2),
        };
        capture.SetResponse("""{"choices":[{"index":0,"message":{"role":"assistant","content":"yo"}}]}"""u8);
        return capture;
    }

    [Fact]
    public async Task Shipper_AggregatorFailsTwice_RetriesTheSameEventsUntilTaken()
    {
        var sender = new FakeTraceSender(failures: 2);
        var shipper = Shipper(sender);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(shipper.Enqueue(Capture(i)));
        }

        await shipper.StartAsync(CancellationToken.None);
        await sender.TakenAtLeastAsync(10);
        await shipper.StopAsync(CancellationToken.None);

        var attempts = sender.Attempts;
        Assert.Equal([false, false, true], attempts.Select(a => a.Taken).ToArray());
        // The very same events each time (built once per batch), so a batch that was in fact archived counts once.
        Assert.All(attempts, a => Assert.Equal(attempts[0].Events, a.Events));
        Assert.Equal(10, attempts[0].Events.Length);
        Assert.Equal(10, shipper.ShippedEvents);
        Assert.Equal(2, shipper.FailedAttempts);
        Assert.Equal(0, shipper.DroppedEvents);
    }

    [Fact]
    public async Task Shipper_MoreThanABatch_SendsBatchesOfAtMostBatchSizeAndLosesNone()
    {
        var sender = new FakeTraceSender();
        var shipper = Shipper(sender, maxBatch: 50);
        for (var i = 0; i < 175; i++)
        {
            shipper.Enqueue(Capture(i));
        }

        await shipper.StartAsync(CancellationToken.None);
        await sender.TakenAtLeastAsync(350);
        await shipper.StopAsync(CancellationToken.None);

        Assert.All(sender.Attempts, a => Assert.InRange(a.Events.Length, 2, 100));
        Assert.Equal(350, sender.Attempts.Sum(a => a.Events.Length));
        Assert.Equal(350, sender.Taken.Count);
        Assert.Equal(175, sender.Taken.Values.Count(e => e.Type == TraceEventTypes.TraceCreate));
    }

    [Fact]
    public void Enqueue_QueueFull_DropsAndCountsWithoutWaiting()
    {
        var shipper = Shipper(new FakeTraceSender(), capacity: 2); // not started: nothing drains the queue

        Assert.True(shipper.Enqueue(Capture(1)));
        Assert.True(shipper.Enqueue(Capture(2)));
        Assert.False(shipper.Enqueue(Capture(3)));

        Assert.Equal(2, shipper.Enqueued);
        Assert.Equal(1, shipper.Dropped);
        Assert.Equal(2, shipper.DroppedEvents);
        Assert.Equal(4, shipper.QueuedEvents);
    }

    [Fact]
    public async Task StopAsync_EventsStillHeld_AreShippedBeforeItReturns()
    {
        var sender = new FakeTraceSender();
        sender.Hold();
        var shipper = Shipper(sender, maxBatch: 10);
        await shipper.StartAsync(CancellationToken.None);
        for (var i = 0; i < 25; i++)
        {
            shipper.Enqueue(Capture(i));
        }

        var stopping = shipper.StopAsync(CancellationToken.None);
        sender.Open();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(50, sender.Taken.Count);
        Assert.Equal(50, shipper.ShippedEvents);
        Assert.Equal(0, shipper.Pending);
    }

    [Fact]
    public async Task StopAsync_NoSiloImplementsTheAggregator_GivesUpAtOnceAndCountsTheDrops()
    {
        var sender = new FakeTraceSender(alwaysFail: () => new TraceReceiverMissingException("no silo implements it", new ArgumentException("x")));
        var shipper = Shipper(sender, shutdown: TimeSpan.FromSeconds(20));
        for (var i = 0; i < 3; i++)
        {
            shipper.Enqueue(Capture(i));
        }

        var clock = Stopwatch.StartNew();
        await shipper.StopAsync(CancellationToken.None); // never started: the flush at stop is all there is

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"shutdown waited {clock.Elapsed} for an aggregator no silo has");
        Assert.Equal(6, shipper.DroppedEvents);
        Assert.Equal(0, shipper.ShippedEvents);
    }

    [Fact]
    public async Task StopAsync_AggregatorNeverAnswers_GivesUpAfterTheShutdownTimeout()
    {
        var sender = new FakeTraceSender();
        sender.Hold();
        var shipper = Shipper(sender, shutdown: TimeSpan.FromMilliseconds(300));
        shipper.Enqueue(Capture(1));

        var clock = Stopwatch.StartNew();
        await shipper.StopAsync(CancellationToken.None);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.Equal(2, shipper.DroppedEvents);
    }
}
