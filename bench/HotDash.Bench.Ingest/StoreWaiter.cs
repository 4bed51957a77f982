using System.Diagnostics;

namespace HotDash.Bench.Ingest;

/// <summary>Polls the store until a phase's rows are all there, or gives up after a timeout.</summary>
internal static class StoreWaiter
{
    // Fine enough for runs of seconds, light enough not to load the store being measured.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <param name="counter">The store.</param>
    /// <param name="names">The phase's row names.</param>
    /// <param name="target">Rows expected in both tables together (the baseline plus every event the phase had accepted).</param>
    /// <param name="phaseClock">Started when the phase's first request went out.</param>
    /// <param name="timeout">Give up this long after the call.</param>
    /// <param name="cancellationToken">Ctrl-C.</param>
    public static async Task<StoreWait> WaitAsync(
        IStoreCounter counter, RowNames names, long target, Stopwatch phaseClock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var last = new StoreCount(0, 0);
        string? error = null;
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(10));
                last = await counter.CountAsync(names, attempt.Token);
                error = null;
                if (last.Total >= target)
                {
                    return new StoreWait(true, last, phaseClock.Elapsed, null);
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
            {
                // A busy store may time a count out; keep polling until the deadline.
                error = e.Message;
            }
            if (deadline.Elapsed >= timeout)
            {
                return new StoreWait(false, last, phaseClock.Elapsed, error);
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }
}
