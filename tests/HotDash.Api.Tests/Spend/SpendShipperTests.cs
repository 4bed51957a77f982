using HotDash.Api.Spend;
using HotDash.Grains;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Tests.Spend;

public sealed class SpendShipperTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // a hang guard, not a speed requirement

    private static SpendShipper Shipper(FakeSpendSender sender, int capacity = 1000, int maxBatch = 100) => new(
        Options.Create(new SpendShipperOptions
        {
            Capacity = capacity,
            MaxBatch = maxBatch,
            FlushInterval = TimeSpan.FromMilliseconds(20),
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        }),
        sender, TimeProvider.System, NullLogger<SpendShipper>.Instance);

    private static SpendRow Row(int i) => new($"req-{i:D5}", "hash", "mock/m", 0.001m, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow) { ModelGroup = "m" };

    [Fact]
    public async Task Shipper_LedgerFailsTwice_RetriesTheSameBatchUntilItIsStored()
    {
        var sender = new FakeSpendSender(failures: 2);
        var shipper = Shipper(sender);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(shipper.Enqueue(Row(i)));
        }

        await shipper.StartAsync(CancellationToken.None);
        await sender.StoredAtLeast(5).WaitAsync(Patience);
        await shipper.StopAsync(CancellationToken.None);

        var attempts = sender.Attempts;
        Assert.Equal([false, false, true], attempts.Select(a => a.Stored).ToArray());
        Assert.All(attempts, a => Assert.Equal(attempts[0].Rows.Select(r => r.RequestId), a.Rows.Select(r => r.RequestId)));
        Assert.Equal(5, shipper.Written);
        Assert.Equal(2, shipper.FailedAttempts);
        Assert.Equal(0, shipper.Dropped);
    }

    [Fact]
    public async Task Shipper_LedgerRefusesOneMalformedRow_WritesEveryOtherRowAndSetsThatOneAside()
    {
        var sender = new FakeSpendSender();
        var shipper = Shipper(sender);
        for (var i = 0; i < 9; i++)
        {
            Assert.True(shipper.Enqueue(i == 4 ? Row(i) with { Spend = -1m } : Row(i)));
        }

        await shipper.StartAsync(CancellationToken.None);
        await sender.StoredAtLeast(8).WaitAsync(Patience);
        Assert.True(shipper.Enqueue(Row(9)));
        await sender.StoredAtLeast(9).WaitAsync(Patience);
        await shipper.StopAsync(CancellationToken.None);

        Assert.DoesNotContain("req-00004", sender.Stored.Keys);
        Assert.Equal(9, sender.Stored.Count);
        Assert.Equal(1, shipper.Rejected);
        Assert.Equal(9, shipper.Written);
    }

    [Fact]
    public async Task Shipper_MoreRowsThanABatch_SendsBatchesOfAtMostMaxBatchAndLosesNone()
    {
        var sender = new FakeSpendSender();
        var shipper = Shipper(sender, maxBatch: 100);
        for (var i = 0; i < 350; i++)
        {
            shipper.Enqueue(Row(i));
        }

        await shipper.StartAsync(CancellationToken.None);
        await sender.StoredAtLeast(350).WaitAsync(Patience);
        await shipper.StopAsync(CancellationToken.None);

        Assert.All(sender.Attempts, a => Assert.InRange(a.Rows.Length, 1, 100));
        Assert.Equal(350, sender.Attempts.Sum(a => a.Rows.Length));
        Assert.Equal(350, sender.Stored.Count);
    }

    [Fact]
    public void Enqueue_QueueFull_DropsAndCountsWithoutWaiting()
    {
        var shipper = Shipper(new FakeSpendSender(), capacity: 2); // not started: nothing drains the queue

        Assert.True(shipper.Enqueue(Row(1)));
        Assert.True(shipper.Enqueue(Row(2)));
        Assert.False(shipper.Enqueue(Row(3)));

        Assert.Equal(2, shipper.Enqueued);
        Assert.Equal(1, shipper.Dropped);
        Assert.Equal(2, shipper.Pending);
    }

    [Fact]
    public async Task StopAsync_RowsStillHeld_AreWrittenBeforeItReturns()
    {
        var sender = new FakeSpendSender();
        sender.Hold();
        var shipper = Shipper(sender, maxBatch: 10);
        await shipper.StartAsync(CancellationToken.None);
        for (var i = 0; i < 25; i++)
        {
            shipper.Enqueue(Row(i));
        }

        var stopping = shipper.StopAsync(CancellationToken.None);
        sender.Open();
        await stopping.WaitAsync(Patience);

        Assert.Equal(25, sender.Stored.Count);
        Assert.Equal(25, shipper.Written);
    }

    [Fact]
    public async Task Enqueue_AfterShutdown_IsCountedAsDropped()
    {
        var shipper = Shipper(new FakeSpendSender());
        await shipper.StartAsync(CancellationToken.None);
        await shipper.StopAsync(CancellationToken.None);

        Assert.False(shipper.Enqueue(Row(1)));
        Assert.Equal(1, shipper.Dropped);
    }
}
