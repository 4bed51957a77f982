using System.Collections.Concurrent;
using System.Collections.Immutable;
using HotDash.Api.Spend;
using HotDash.Grains;

namespace HotDash.Api.Tests.Spend;

/// <summary>
/// A ledger that fails the first <c>failures</c> writes, can be held shut, and records every batch it was sent
/// (failed ones included) in order.
/// </summary>
internal sealed class FakeSpendSender(int failures = 0) : ISpendSender
{
    private readonly ConcurrentQueue<(ImmutableArray<SpendRow> Rows, bool Stored)> attempts = new();
    private readonly ConcurrentDictionary<string, SpendRow> stored = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int remainingFailures = failures;
    private volatile bool held;
    private int expected = int.MaxValue;
    private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every write, in order, and whether it was stored.</summary>
    public IReadOnlyList<(ImmutableArray<SpendRow> Rows, bool Stored)> Attempts => [.. attempts];

    /// <summary>The rows stored, by request id.</summary>
    public IReadOnlyDictionary<string, SpendRow> Stored => stored;

    /// <summary>Makes writes wait until <see cref="Open"/>.</summary>
    public void Hold() => held = true;

    public void Open() => gate.TrySetResult();

    /// <summary>Completes once <paramref name="count"/> distinct rows are stored.</summary>
    public Task StoredAtLeast(int count)
    {
        Volatile.Write(ref expected, count);
        Check();
        return reached.Task;
    }

    public async Task<int> SendAsync(ImmutableArray<SpendRow> rows, CancellationToken cancellationToken)
    {
        if (held)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (Interlocked.Decrement(ref remainingFailures) >= 0)
        {
            attempts.Enqueue((rows, false));
            throw new TimeoutException("the fake ledger is down");
        }
        foreach (var row in rows)
        {
            if (row.Spend < 0)
            {
                // As the real ledger does: one malformed row refuses the whole batch.
                attempts.Enqueue((rows, false));
                throw new ArgumentException($"spend row {row.RequestId} has a negative spend", nameof(rows));
            }
        }
        var added = 0;
        foreach (var row in rows)
        {
            if (stored.TryAdd(row.RequestId, row))
            {
                added++;
            }
        }
        attempts.Enqueue((rows, true));
        Check();
        return added;
    }

    private void Check()
    {
        if (stored.Count >= Volatile.Read(ref expected))
        {
            reached.TrySetResult();
        }
    }
}
