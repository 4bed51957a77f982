using System.Diagnostics;

namespace HotDash.Bench.Ingest;

/// <summary>
/// <c>clients</c> concurrent senders, each taking the next request number until <c>requests</c> are sent or the duration
/// cap passes (then no new request starts; those running finish). Every request is timed.
/// </summary>
internal static class LoadLoop
{
    private const int MaxErrorsKept = 5;

    /// <param name="clients">Concurrent senders.</param>
    /// <param name="requests">Requests to send in all.</param>
    /// <param name="unitsOf">Units (events, chat requests) request number n carries.</param>
    /// <param name="cap">Stop starting requests after this long.</param>
    /// <param name="send">Sends request number n.</param>
    /// <param name="cancellationToken">Stops everything (Ctrl-C).</param>
    public static async Task<LoadResult> RunAsync(
        int clients, long requests, Func<long, int> unitsOf, TimeSpan cap,
        Func<long, CancellationToken, Task<SendOutcome>> send, CancellationToken cancellationToken)
    {
        var latencies = new Latencies();
        var errors = new List<string>();
        long next = -1, sent = 0, units = 0, accepted = 0, failed = 0;
        var capped = false;
        var clock = Stopwatch.StartNew();

        async Task Client()
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (clock.Elapsed >= cap)
                {
                    Volatile.Write(ref capped, true);
                    return;
                }
                var n = Interlocked.Increment(ref next);
                if (n >= requests)
                {
                    return;
                }
                var started = Stopwatch.GetTimestamp();
                SendOutcome outcome;
                try
                {
                    outcome = await send(n, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    outcome = new SendOutcome(0, unitsOf(n), $"{e.GetType().Name}: {e.Message}");
                }
                latencies.Add(Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref sent);
                Interlocked.Add(ref units, unitsOf(n));
                Interlocked.Add(ref accepted, outcome.Accepted);
                Interlocked.Add(ref failed, outcome.Failed);
                if (outcome.Error is { } error)
                {
                    lock (errors)
                    {
                        if (errors.Count < MaxErrorsKept && !errors.Contains(error))
                        {
                            errors.Add(error);
                        }
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client, cancellationToken)));
        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        return new LoadResult
        {
            Requests = sent,
            UnitsSent = units,
            Accepted = accepted,
            Failed = failed,
            Elapsed = elapsed,
            Latencies = latencies,
            Capped = capped && sent < requests,
            Errors = errors,
        };
    }
}
