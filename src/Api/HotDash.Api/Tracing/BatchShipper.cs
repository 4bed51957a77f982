using HotDash.Api.Infrastructure;
using System.Collections.Immutable;
using System.Threading.Channels;

namespace HotDash.Api.Tracing;

/// <summary>
/// Carries items from the request path to the cluster in batches, off the request path (the pattern of the spend
/// shipper, made generic). Requests hand items to a bounded channel and never wait: when it is full an item is dropped
/// and counted, and the drops are logged at most once per <see cref="BatchShipperSettings.DropLogInterval"/>. A
/// background loop sends batches of up to <see cref="BatchShipperSettings.MaxBatch"/> items, or whatever has come
/// within <see cref="BatchShipperSettings.FlushInterval"/>, and retries a failed batch, the same items, with capped
/// backoff until the receiver takes it (receivers are idempotent, so a batch that was in fact stored counts once). At
/// shutdown what is held is sent within <see cref="BatchShipperSettings.ShutdownTimeout"/>.
/// </summary>
/// <typeparam name="T">What is shipped.</typeparam>
internal abstract class BatchShipper<T> : BackgroundService
{
    private readonly Channel<T> channel;
    private readonly BatchFillSignal fill = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string what;
    private long enqueued, dropped, shipped, failedAttempts;
    private long lastDropLog = long.MinValue; // timestamp of the last "dropping" line
    private int flushStarted;

    /// <param name="settings">Capacity, batch size and timings.</param>
    /// <param name="time">The clock the flush interval and retry delays use.</param>
    /// <param name="logger">Where failures and drops are logged.</param>
    /// <param name="what">What the items are, for log lines (e.g. <c>trace</c>).</param>
    protected BatchShipper(BatchShipperSettings settings, TimeProvider time, ILogger logger, string what)
    {
        Settings = settings;
        this.time = time;
        this.logger = logger;
        this.what = what;
        channel = Channel.CreateBounded<T>(new BoundedChannelOptions(settings.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then says "full" instead of silently dropping
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Capacity, batch size and timings.</summary>
    protected BatchShipperSettings Settings { get; }

    /// <summary>Items accepted for shipping.</summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    /// <summary>Items dropped because the queue was full, shutdown had begun, or shutdown could not send them in time.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Items the receiver has acknowledged.</summary>
    public long Shipped => Interlocked.Read(ref shipped);

    /// <summary>Sends that failed and were retried.</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    /// <summary>Items waiting in the queue (not counting the batch being sent).</summary>
    public int Pending => channel.Reader.Count;

    /// <summary>Sends one batch; completes once the receiver holds it durably, throws when it may not.</summary>
    protected abstract Task SendAsync(ImmutableArray<T> batch, CancellationToken cancellationToken);

    /// <summary>
    /// A failure no retry can cure while this process runs (e.g. no silo implements the receiver): shutdown gives up on
    /// the held items at once instead of retrying until its timeout. While running, every failure is retried.
    /// </summary>
    protected virtual bool IsPermanent(Exception error) => false;

    /// <summary>Called for an item that was dropped (queue full or shut down), to release what it holds.</summary>
    protected virtual void OnDropped(T item)
    {
    }

    /// <summary>Hands an item over without waiting; false when it was dropped.</summary>
    public bool Enqueue(T item)
    {
        if (channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref enqueued);
            fill.Notify(channel.Reader);
            return true;
        }
        var n = Interlocked.Increment(ref dropped);
        OnDropped(item);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastDropLog);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= Settings.DropLogInterval)
            && Interlocked.CompareExchange(ref lastDropLog, now, last) == last)
        {
            BatchShipperLog.Dropping(logger, what, Settings.Capacity, n);
        }
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<T>(Math.Min(Settings.MaxBatch, 4096));
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(batch);
                if (batch.Count < Settings.MaxBatch)
                {
                    await FillForAsync(batch, stoppingToken);
                }
                await SendWithRetriesAsync([.. batch], stoppingToken);
                batch.Clear();
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the batch in hand (unacknowledged) and the queue go out below.
        }
        await FlushAtShutdownAsync(batch);
    }

    private void Fill(List<T> batch)
    {
        while (batch.Count < Settings.MaxBatch && channel.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    // Waits up to the flush interval for the batch to fill (woken once it can, not per item).
    private async Task FillForAsync(List<T> batch, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (batch.Count < Settings.MaxBatch)
        {
            var left = Settings.FlushInterval - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await fill.WaitAsync(channel.Reader, Settings.MaxBatch - batch.Count, left, time, stoppingToken);
            Fill(batch);
        }
    }

    // Retries the same batch until it is taken; with giveUpOnPermanent (shutdown), a permanent failure ends it.
    private async Task<bool> SendWithRetriesAsync(ImmutableArray<T> items, CancellationToken ct, bool giveUpOnPermanent = false)
    {
        if (items.IsEmpty)
        {
            return true;
        }
        var delay = Settings.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(items, ct);
                Interlocked.Add(ref shipped, items.Length);
                if (attempt > 1)
                {
                    BatchShipperLog.BatchRecovered(logger, what, items.Length, attempt);
                }
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedAttempts);
                if (giveUpOnPermanent && IsPermanent(e))
                {
                    BatchShipperLog.GivingUp(logger, what, e.Message);
                    return false;
                }
                BatchShipperLog.BatchFailed(logger, what, items.Length, attempt, (long)delay.TotalMilliseconds, e.Message);
            }
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Settings.MaxRetryDelay.Ticks));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A host stopped before the loop ever ran (its start is queued, and skipped once stopping) flushes here.
        if (Volatile.Read(ref flushStarted) == 0)
        {
            await FlushAtShutdownAsync([]);
        }
    }

    private async Task FlushAtShutdownAsync(List<T> batch)
    {
        if (Interlocked.Exchange(ref flushStarted, 1) == 1)
        {
            return;
        }
        channel.Writer.TryComplete(); // items that still arrive count as dropped
        using var timeout = new CancellationTokenSource(Settings.ShutdownTimeout, time);
        try
        {
            while (true)
            {
                Fill(batch);
                if (batch.Count == 0)
                {
                    return;
                }
                if (!await SendWithRetriesAsync([.. batch], timeout.Token, giveUpOnPermanent: true))
                {
                    break;
                }
                batch.Clear();
            }
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            // Out of time: what is left is counted below.
        }
        Fill(batch);
        while (channel.Reader.TryRead(out var rest))
        {
            batch.Add(rest);
        }
        if (batch.Count > 0)
        {
            Interlocked.Add(ref dropped, batch.Count);
            BatchShipperLog.LostAtShutdown(logger, what, batch.Count, Settings.ShutdownTimeout.TotalSeconds);
            foreach (var item in batch)
            {
                OnDropped(item);
            }
            batch.Clear();
        }
    }
}
