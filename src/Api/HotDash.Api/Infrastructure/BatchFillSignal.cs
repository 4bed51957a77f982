using System.Threading.Channels;

namespace HotDash.Api.Infrastructure;

/// <summary>
/// Wakes a shipper's batching loop once its batch can fill, or its flush interval has passed, instead of once per
/// queued item: a wake per request (a timer, a linked token source and a thread pool hop each) cost every request
/// CPU and kept the pool half awake.
/// </summary>
internal sealed class BatchFillSignal
{
    private TaskCompletionSource? waiting;
    private int wanted = int.MaxValue;

    /// <summary>After an item is queued: wakes the loop if it waits and enough items are queued now.</summary>
    public void Notify<T>(ChannelReader<T> reader)
    {
        if (Volatile.Read(ref waiting) is { } signal && reader.Count >= Volatile.Read(ref wanted))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Waits until <paramref name="needed"/> items are queued, <paramref name="timeout"/> passes or the token is cancelled.</summary>
    public async Task WaitAsync<T>(ChannelReader<T> reader, int needed, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref wanted, needed);
        Volatile.Write(ref waiting, signal);
        try
        {
            if (reader.Count >= needed)
            {
                return; // filled before the signal was armed
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var deadline = Task.Delay(timeout, time, stop.Token);
            await Task.WhenAny(signal.Task, deadline).ConfigureAwait(false);
            stop.Cancel(); // ends the delay if the batch filled first
        }
        finally
        {
            Volatile.Write(ref waiting, null);
            Volatile.Write(ref wanted, int.MaxValue);
        }
    }
}
