using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Caching;

/// <summary>
/// Each gateway's own bounded LRU of answers it recently served from, or gave to, the cache grains
/// (<c>hotdash.cache.gateway_memory_bytes</c>), each kept at most <c>hotdash.cache.gateway_seconds</c>: a hot prompt's
/// hit then needs no cluster call at all. The cache grains stay the authority: an entry here is a short-lived copy of
/// what they hold, dropped here at once by this gateway's <c>/cache/delete</c> and <c>/cache/flushall</c>, and on every
/// other gateway within its seconds.
/// </summary>
internal sealed class GatewayCacheMemory(HotDashConfig config, TimeProvider time)
{
    private readonly long capacity = config.Cache.Enabled ? config.Cache.GatewayMemoryBytes : 0;
    private readonly long lifetimeMs = (long)config.Cache.GatewayTtl.TotalMilliseconds;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Slot>> slots = new(StringComparer.Ordinal);
    private readonly LinkedList<Slot> recency = new(); // most recently used first
    private long bytes;

    /// <summary>Entries held.</summary>
    public int Count { get { lock (gate) { return slots.Count; } } }

    /// <summary>Bytes held (the answers' sizes).</summary>
    public long Bytes { get { lock (gate) { return bytes; } } }

    /// <summary>A held, unexpired entry younger than <paramref name="maxAgeMs"/> (s-maxage), or false.</summary>
    public bool TryGet(string key, long? maxAgeMs, out CacheEntry entry)
    {
        entry = null!;
        if (capacity <= 0)
        {
            return false;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (gate)
        {
            if (!slots.TryGetValue(key, out var node))
            {
                return false;
            }
            var slot = node.Value;
            if (now - slot.HeldSinceMs >= lifetimeMs || slot.Entry.ExpiresMs is { } expires && expires <= now)
            {
                Drop(node);
                return false;
            }
            if (maxAgeMs is { } maxAge && now - slot.Entry.CreatedMs > maxAge)
            {
                return false; // too old for this request, not for others
            }
            recency.Remove(node);
            recency.AddFirst(node);
            entry = slot.Entry;
            return true;
        }
    }

    /// <summary>Keeps a copy of an entry the cache grains hold (one that takes more than an eighth of the budget is not kept).</summary>
    public void Put(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var size = Math.Max(1, entry.SizeBytes);
        if (capacity <= 0 || size > capacity / 8)
        {
            return;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (entry.ExpiresMs is { } expires && expires <= now)
        {
            return;
        }
        lock (gate)
        {
            if (slots.TryGetValue(entry.Key, out var old))
            {
                Drop(old);
            }
            var node = recency.AddFirst(new Slot(entry, size, now));
            slots[entry.Key] = node;
            bytes += size;
            while (bytes > capacity && recency.Last is { } last)
            {
                Drop(last);
            }
        }
    }

    /// <summary>Forgets these keys.</summary>
    public void Remove(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (gate)
        {
            foreach (var key in keys)
            {
                if (slots.TryGetValue(key, out var node))
                {
                    Drop(node);
                }
            }
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        lock (gate)
        {
            slots.Clear();
            recency.Clear();
            bytes = 0;
        }
    }

    private void Drop(LinkedListNode<Slot> node)
    {
        recency.Remove(node);
        slots.Remove(node.Value.Entry.Key);
        bytes -= node.Value.Size;
    }

    private sealed record Slot(CacheEntry Entry, long Size, long HeldSinceMs);
}
