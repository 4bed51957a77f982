using System.Buffers;
using System.Collections.Immutable;
using System.Threading.Channels;
using HotDash.Grains;

namespace HotDash.Api.Caching;

/// <summary>
/// What the provider adapters feed while a cacheable call goes upstream (as they feed the trace's capture): the answer
/// copied into a <see cref="CacheCapture"/>, bounded by <c>hotdash.cache.max_entry_bytes</c>. For a streaming leader it
/// also runs the call's pump: each chunk wakes a background loop that sends the chunks added since its last send to the
/// cache grain (<see cref="ICacheGrain.Append"/>), in order and batched, so followers get the stream as it arrives while
/// the leader's own stream never waits on a grain call.
/// </summary>
/// <remarks>
/// The capture is touched under one lock, because the pump takes its new chunks on another thread; the lock is held for
/// a copy only. After <see cref="Finish"/> the capture's buffers are returned and every later feed is ignored.
/// </remarks>
internal sealed class CacheFeed
{
    private readonly Lock gate = new();
    private readonly CacheCapture capture;
    private Channel<bool>? wake;
    private bool finished;

    /// <param name="maxEntryBytes">The largest answer kept; a bigger one is passed on to the client but not cached.</param>
    public CacheFeed(long maxEntryBytes) => capture = new CacheCapture(maxEntryBytes);

    /// <summary>The pump's loop (a completed task when there is none): done once every chunk it took was appended.</summary>
    public Task Pumped { get; private set; } = Task.CompletedTask;

    /// <summary>A stream chunk's JSON payload, as it goes to the client.</summary>
    public void AddChunk(ReadOnlySpan<byte> payload)
    {
        lock (gate)
        {
            if (finished)
            {
                return;
            }
            capture.AddChunk(payload);
        }
        wake?.Writer.TryWrite(true);
    }

    /// <summary>A stream chunk's JSON payload, as it goes to the client.</summary>
    public void AddChunk(in ReadOnlySequence<byte> payload)
    {
        lock (gate)
        {
            if (finished)
            {
                return;
            }
            capture.AddChunk(payload);
        }
        wake?.Writer.TryWrite(true);
    }

    /// <summary>A non-streamed answer's body, as it went to the client.</summary>
    public void SetBody(ReadOnlySpan<byte> body)
    {
        lock (gate)
        {
            if (!finished)
            {
                capture.SetBody(body);
            }
        }
    }

    /// <summary>
    /// Starts the pump of a streaming leader: chunks go to <paramref name="grain"/> under <paramref name="leaseId"/> as
    /// they come. A failed <see cref="ICacheGrain.Append"/> stops the pump (followers then wait for the leader's
    /// <see cref="ICacheGrain.Complete"/> or time out); the leader's own stream goes on.
    /// </summary>
    public void StartPump(ICacheGrain grain, string leaseId, Action<Exception> onError)
    {
        // One pending wake-up is enough: the loop takes every chunk added since its last send.
        wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
            AllowSynchronousContinuations = false,
        });
        Pumped = PumpAsync(wake.Reader, grain, leaseId, onError);
    }

    /// <summary>
    /// Ends the feed: <paramref name="build"/> (null: the call failed, nothing to keep) makes the entry from the capture,
    /// then the capture's buffers go back and the pump stops after its current send. Returns the entry, or null.
    /// </summary>
    public CacheEntry? Finish(Func<CacheCapture, CacheEntry?>? build)
    {
        CacheEntry? entry;
        lock (gate)
        {
            if (finished)
            {
                return null;
            }
            finished = true;
            entry = build?.Invoke(capture);
            capture.Dispose();
        }
        wake?.Writer.TryComplete();
        return entry;
    }

    private async Task PumpAsync(ChannelReader<bool> reader, ICacheGrain grain, string leaseId, Action<Exception> onError)
    {
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                reader.TryRead(out _);
                ImmutableArray<byte[]> batch;
                bool oversized;
                lock (gate)
                {
                    if (finished)
                    {
                        return; // the entry carries the rest: Complete gives it to followers whole
                    }
                    batch = capture.TakeNewChunks();
                    oversized = capture.Oversized;
                }
                if (oversized)
                {
                    // Too big to keep: release the followers now (they ask upstream themselves) and let no new caller
                    // wait on an answer that will never be stored; the leader's own stream goes on.
                    await grain.Complete(leaseId, null, new CacheStorePolicy(false, null)).ConfigureAwait(false);
                    return;
                }
                if (!batch.IsDefaultOrEmpty)
                {
                    await grain.Append(leaseId, batch).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            onError(e);
        }
    }
}
