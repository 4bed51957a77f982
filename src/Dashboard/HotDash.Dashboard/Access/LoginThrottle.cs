using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Access;

/// <summary>Counts wrong logins per client IP in a sliding window, so password guessing is slowed to a crawl.</summary>
public sealed class LoginThrottle(IOptions<DashboardAccessOptions> options, TimeProvider time)
{
    // Past this many tracked clients, stale ones are dropped on the next failure: the map cannot grow without bound.
    private const int PruneThreshold = 4096;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="client"/> used up its failures; <paramref name="retryAfter"/> is when it may try again.</summary>
    public bool IsBlocked(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failures.TryGetValue(client, out var queue))
        {
            return false;
        }
        var now = time.GetUtcNow();
        var window = options.Value.FailureWindow;
        lock (queue)
        {
            Trim(queue, now - window);
            if (queue.Count < options.Value.MaxFailures)
            {
                return false;
            }
            // The oldest failure in the window leaving it frees one attempt.
            retryAfter = queue.Peek() + window - now;
            return true;
        }
    }

    /// <summary>Records one wrong login of <paramref name="client"/>.</summary>
    public void RecordFailure(string client)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > PruneThreshold)
        {
            Prune(now - options.Value.FailureWindow);
        }
        var queue = _failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(now);
        }
    }

    /// <summary>Forgets the failures of <paramref name="client"/> after it signed in.</summary>
    public void Reset(string client) => _failures.TryRemove(client, out _);

    private void Prune(DateTimeOffset cutoff)
    {
        foreach (var (client, queue) in _failures)
        {
            lock (queue)
            {
                Trim(queue, cutoff);
                if (queue.Count == 0)
                {
                    _failures.TryRemove(client, out _);
                }
            }
        }
    }

    private static void Trim(Queue<DateTimeOffset> queue, DateTimeOffset cutoff)
    {
        while (queue.Count > 0 && queue.Peek() <= cutoff)
        {
            queue.Dequeue();
        }
    }
}
