using HotDash.Api.Infrastructure;
using System.Collections.Immutable;
using System.Threading.Channels;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Api.Spend;

/// <summary>
/// Carries every request's <see cref="SpendRow"/> to the ledger off the request path. Requests hand rows to a
/// bounded channel and never wait: when it is full a row is dropped and counted. A background loop sends batches
/// of up to <see cref="SpendShipperOptions.MaxBatch"/> rows, or whatever has come within
/// <see cref="SpendShipperOptions.FlushInterval"/>, and retries a failed batch, the same rows, with capped backoff
/// until the ledger takes it (it is idempotent by request id, so a batch that was in fact stored counts once).
/// A silo restart therefore loses nothing; at shutdown what is held is sent within a bounded time.
/// </summary>
internal sealed class SpendShipper : BackgroundService
{
    private readonly Channel<SpendRow> channel;
    private readonly BatchFillSignal fill = new();
    private readonly SpendShipperOptions options;
    private readonly ISpendSender sender;
    private readonly TimeProvider time;
    private readonly ILogger<SpendShipper> logger;
    private long enqueued, dropped, written, failedAttempts, rejected;
    private int droppingLogged; // 1 from the first drop until a batch goes through: one log line per episode
    private int flushStarted;

    public SpendShipper(IOptions<SpendShipperOptions> options, ISpendSender sender, TimeProvider time, ILogger<SpendShipper> logger)
    {
        this.options = options.Value;
        this.sender = sender;
        this.time = time;
        this.logger = logger;
        channel = Channel.CreateBounded<SpendRow>(new BoundedChannelOptions(this.options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then says "full" instead of silently dropping
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Rows accepted for shipping.</summary>
    public long Enqueued => Interlocked.Read(ref enqueued);

    /// <summary>Rows dropped because the queue was full (or shutdown had begun).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Rows the ledger has acknowledged.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Ledger writes that failed and were retried.</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    /// <summary>Rows the ledger refused as malformed (logged with their request id, never retried).</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Rows waiting in the queue (not counting the batch being sent).</summary>
    public int Pending => channel.Reader.Count;

    /// <summary>Hands a row over without waiting; false when it was dropped.</summary>
    public bool Enqueue(SpendRow row)
    {
        if (channel.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref enqueued);
            fill.Notify(channel.Reader);
            return true;
        }
        var n = Interlocked.Increment(ref dropped);
        if (Interlocked.Exchange(ref droppingLogged, 1) == 0)
        {
            SpendLog.Dropping(logger, options.Capacity, n);
        }
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SpendRow>(options.MaxBatch);
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill(batch);
                if (batch.Count < options.MaxBatch)
                {
                    await FillForAsync(batch, stoppingToken);
                }
                await SendAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the batch in hand (unacknowledged) and the queue go out below.
        }
        await FlushAtShutdownAsync(batch);
    }

    private void Fill(List<SpendRow> batch)
    {
        while (batch.Count < options.MaxBatch && channel.Reader.TryRead(out var row))
        {
            batch.Add(row);
        }
    }

    // Waits up to the flush interval for the batch to fill (woken once it can, not per row).
    private async Task FillForAsync(List<SpendRow> batch, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (batch.Count < options.MaxBatch)
        {
            var left = options.FlushInterval - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await fill.WaitAsync(channel.Reader, options.MaxBatch - batch.Count, left, time, stoppingToken);
            Fill(batch);
        }
    }

    private Task SendAsync(List<SpendRow> batch, CancellationToken ct) =>
        batch.Count == 0 ? Task.CompletedTask : SendAsync(batch.ToImmutableArray(), ct);

    private async Task SendAsync(ImmutableArray<SpendRow> rows, CancellationToken ct)
    {
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sender.SendAsync(rows, ct);
                Interlocked.Add(ref written, rows.Length);
                if (attempt > 1)
                {
                    SpendLog.BatchRecovered(logger, rows.Length, attempt);
                }
                Volatile.Write(ref droppingLogged, 0);
                return;
            }
            catch (ArgumentException e) when (!ct.IsCancellationRequested)
            {
                // The ledger refused a row (retrying the batch as it is can never succeed): halve the batch until the
                // refused rows stand alone, write the rest, and set those aside rather than stall every later row.
                await RefusedAsync(rows, e, ct);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedAttempts);
                SpendLog.BatchFailed(logger, rows.Length, attempt, (long)delay.TotalMilliseconds, e.Message);
            }
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    private async Task RefusedAsync(ImmutableArray<SpendRow> rows, ArgumentException refusal, CancellationToken ct)
    {
        if (rows.Length == 1)
        {
            Interlocked.Increment(ref rejected);
            SpendLog.RowRefused(logger, rows[0].RequestId, refusal.Message);
            return;
        }
        var half = rows.Length / 2;
        await SendAsync(rows[..half], ct);
        await SendAsync(rows[half..], ct);
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

    private async Task FlushAtShutdownAsync(List<SpendRow> batch)
    {
        if (Interlocked.Exchange(ref flushStarted, 1) == 1)
        {
            return;
        }
        channel.Writer.TryComplete(); // rows that still arrive count as dropped
        using var timeout = new CancellationTokenSource(options.ShutdownTimeout, time);
        try
        {
            while (true)
            {
                Fill(batch);
                if (batch.Count == 0)
                {
                    return;
                }
                await SendAsync(batch, timeout.Token);
                batch.Clear();
            }
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            var lost = batch.Count + channel.Reader.Count;
            Interlocked.Add(ref dropped, lost);
            SpendLog.LostAtShutdown(logger, lost, options.ShutdownTimeout.TotalSeconds);
        }
    }
}
