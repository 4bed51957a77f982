using Microsoft.Extensions.Options;

namespace HotDash.Grains.Caching;

/// <summary>
/// The embedded cache store: this silo's memory, bounded by <see cref="CacheStoreOptions.MemoryBytes"/> and evicting the
/// least recently used entries first (a dictionary over a doubly linked recency list under one lock: O(1) get and set).
/// Expiry is checked on read (and the expired entry dropped), so an expired entry only holds memory until it is read
/// or evicted. Each silo has its own; <see cref="CacheAdminGrain"/> reaches every silo's for a flush.
/// </summary>
public sealed class MemoryCacheStore(IOptions<CacheStoreOptions> options, TimeProvider time) : ICacheStore
{
    // Bookkeeping the entry's own bytes do not show (dictionary slot, list node, record, arrays): an estimate, so the cap
    // bounds real memory even for many small entries.
    private const long EntryOverheadBytes = 256;
    private const long ChunkOverheadBytes = 32;

    private readonly CacheStoreOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Item>> _items = new(StringComparer.Ordinal);
    // Most recently used first.
    private readonly LinkedList<Item> _recency = new();
    private long _bytes;

    /// <inheritdoc />
    public string Type => "local";

    /// <inheritdoc />
    public bool IsShared => false;

    /// <summary>Entries held now (expired ones not yet read included).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Bytes held now, as counted against <see cref="CacheStoreOptions.MemoryBytes"/>.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>What an entry counts against the budget: its answer's bytes plus an estimate of the bookkeeping.</summary>
    public static long CostOf(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var chunks = entry.Chunks.IsDefault ? 0 : entry.Chunks.Length;
        return entry.SizeBytes + EntryOverheadBytes + (2L * entry.Key.Length) + (chunks * ChunkOverheadBytes);
    }

    /// <inheritdoc />
    public Task<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (!_items.TryGetValue(key, out var node))
            {
                return Task.FromResult<CacheEntry?>(null);
            }
            if (node.Value.Entry.ExpiresMs is { } expires && expires <= now)
            {
                RemoveNode(node);
                return Task.FromResult<CacheEntry?>(null);
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            return Task.FromResult<CacheEntry?>(node.Value.Entry);
        }
    }

    /// <inheritdoc />
    public Task<bool> SetAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var cost = CostOf(entry);
        if (entry.SizeBytes > _options.MaxEntryBytes || cost > _options.MemoryBytes
            || entry.ExpiresMs is { } expires && expires <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return Task.FromResult(false);
        }
        lock (_lock)
        {
            if (_items.TryGetValue(entry.Key, out var existing))
            {
                RemoveNode(existing);
            }
            while (_bytes + cost > _options.MemoryBytes && _recency.Last is { } oldest)
            {
                RemoveNode(oldest);
            }
            var node = _recency.AddFirst(new Item(entry, cost));
            _items.Add(entry.Key, node);
            _bytes += cost;
        }
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<int> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var deleted = 0;
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (_items.TryGetValue(key, out var node))
                {
                    // An expired entry no longer existed for any reader: drop it without counting it.
                    if (node.Value.Entry.ExpiresMs is not { } expires || expires > now)
                    {
                        deleted++;
                    }
                    RemoveNode(node);
                }
            }
        }
        return Task.FromResult(deleted);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _items.Clear();
            _recency.Clear();
            _bytes = 0;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CachePing> PingAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new CachePing(Type, Healthy: true, Entries: _items.Count, Bytes: _bytes));
        }
    }

    // Callers hold the lock.
    private void RemoveNode(LinkedListNode<Item> node)
    {
        _recency.Remove(node);
        _items.Remove(node.Value.Entry.Key);
        _bytes -= node.Value.Cost;
    }

    private sealed record Item(CacheEntry Entry, long Cost);
}
