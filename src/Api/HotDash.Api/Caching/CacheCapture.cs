using System.Buffers;
using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Api.Caching;

/// <summary>
/// The answer of one cacheable call, collected for the cache as it goes to the client: a stream's chunk payloads (in a
/// rented buffer, copied as they are relayed) or a non-streamed body. Bounded by the entry size cap: past it the capture
/// drops everything, gives its buffer back and marks itself <see cref="Oversized"/> (the answer is not cached, and a
/// leader then completes its lease with no entry). Safe to fill on the request path while another task takes the new
/// chunks for the followers (<see cref="TakeNewChunks"/>). <see cref="Dispose"/> returns the buffer.
/// </summary>
internal sealed class CacheCapture(long maxEntryBytes) : IDisposable
{
    private readonly Lock gate = new();
    private byte[]? buffer;          // rented; the chunks back to back
    private int length;
    private readonly List<int> ends = []; // where each chunk ends in the buffer
    private readonly List<byte[]> materialised = []; // chunks already copied out (TakeNewChunks, Build), in order
    private int taken;               // chunks handed out by TakeNewChunks
    private byte[]? body;
    private bool disposed;

    /// <summary>The most answer bytes kept (<c>hotdash.cache.max_entry_bytes</c>).</summary>
    public long MaxEntryBytes { get; } = maxEntryBytes;

    /// <summary>The answer passed <see cref="MaxEntryBytes"/>: nothing is kept and <see cref="Build"/> gives null.</summary>
    public bool Oversized { get; private set; }

    /// <summary>The answer is a stream (chunks were added and no body set).</summary>
    public bool Streamed
    {
        get
        {
            lock (gate)
            {
                return body is null && ends.Count > 0;
            }
        }
    }

    /// <summary>Chunks held.</summary>
    public int ChunkCount
    {
        get
        {
            lock (gate)
            {
                return ends.Count;
            }
        }
    }

    /// <summary>Answer bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return body?.Length ?? length;
            }
        }
    }

    /// <summary>A stream chunk's JSON payload (without <c>data: </c>), just before it goes to the client.</summary>
    public void AddChunk(ReadOnlySpan<byte> payload)
    {
        lock (gate)
        {
            if (Reserve(payload.Length))
            {
                payload.CopyTo(buffer.AsSpan(length));
                Commit(payload.Length);
            }
        }
    }

    /// <summary>A stream chunk's JSON payload (without <c>data: </c>), just before it goes to the client.</summary>
    public void AddChunk(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            AddChunk(payload.FirstSpan);
            return;
        }
        lock (gate)
        {
            var size = payload.Length > int.MaxValue ? int.MaxValue : (int)payload.Length;
            if (Reserve(size))
            {
                payload.CopyTo(buffer.AsSpan(length));
                Commit(size);
            }
        }
    }

    /// <summary>A non-streamed answer's body, exactly as sent to the client (replaces any chunks).</summary>
    public void SetBody(ReadOnlySpan<byte> answer)
    {
        lock (gate)
        {
            if (disposed || Oversized)
            {
                return;
            }
            ReturnBuffer();
            ends.Clear();
            materialised.Clear();
            taken = 0;
            if (answer.Length > MaxEntryBytes)
            {
                Oversized = true;
                body = null;
                return;
            }
            body = answer.ToArray();
        }
    }

    /// <summary>
    /// The chunks added since the last call, in order, for the leader's <see cref="ICacheGrain.Append"/>; empty when
    /// none came, once <see cref="Oversized"/>, or for a non-streamed answer.
    /// </summary>
    public ImmutableArray<byte[]> TakeNewChunks()
    {
        lock (gate)
        {
            if (Oversized || disposed || body is not null || taken == ends.Count)
            {
                return [];
            }
            Materialise();
            var builder = ImmutableArray.CreateBuilder<byte[]>(ends.Count - taken);
            for (var i = taken; i < ends.Count; i++)
            {
                builder.Add(materialised[i]);
            }
            var result = builder.MoveToImmutable();
            taken = ends.Count;
            return result;
        }
    }

    /// <summary>
    /// The whole answer as a cache entry (expiring <paramref name="ttlMs"/> after <paramref name="nowMs"/>; null ttl:
    /// never), or null when it was <see cref="Oversized"/>, nothing was captured, or the capture was disposed.
    /// </summary>
    public CacheEntry? Build(
        string key, string modelGroup, string callType, long nowMs, long? ttlMs, long promptTokens, long completionTokens, decimal cost, string? deploymentId)
    {
        lock (gate)
        {
            if (Oversized || disposed || (body is null && ends.Count == 0))
            {
                return null;
            }
            ImmutableArray<byte[]> chunks = default;
            if (body is null)
            {
                Materialise();
                chunks = [.. materialised];
            }
            return new CacheEntry
            {
                Key = key,
                ModelGroup = modelGroup,
                CallType = callType,
                Body = body,
                Chunks = chunks,
                CreatedMs = nowMs,
                ExpiresMs = ttlMs is { } ttl ? nowMs + ttl : null,
                PromptTokens = promptTokens,
                CompletionTokens = completionTokens,
                Cost = cost,
                DeploymentId = deploymentId,
            };
        }
    }

    /// <summary>Gives the rented buffer back; the capture keeps nothing after this.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            ReturnBuffer();
            ends.Clear();
            materialised.Clear();
            body = null;
        }
    }

    // Room for one more chunk; false (and everything dropped) when it would pass the cap.
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(buffer))]
    private bool Reserve(int size)
    {
        if (disposed || Oversized || body is not null)
        {
            return false;
        }
        var needed = (long)length + size;
        if (needed > MaxEntryBytes)
        {
            Oversized = true;
            ReturnBuffer();
            ends.Clear();
            materialised.Clear();
            taken = 0;
            return false;
        }
        if (buffer is null || buffer.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(MaxEntryBytes, Math.Max(needed, Math.Max(4096L, (buffer?.Length ?? 0) * 2L))));
            if (buffer is not null)
            {
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = bigger;
        }
        return true;
    }

    private void Commit(int size)
    {
        length += size;
        ends.Add(length);
    }

    // Copies out the chunks not yet copied (each one once: Append and the entry share the arrays).
    private void Materialise()
    {
        for (var i = materialised.Count; i < ends.Count; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            materialised.Add(buffer.AsSpan(start, ends[i] - start).ToArray());
        }
    }

    private void ReturnBuffer()
    {
        var b = buffer;
        buffer = null;
        length = 0;
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
