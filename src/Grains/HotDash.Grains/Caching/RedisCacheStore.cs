using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using StackExchange.Redis;

namespace HotDash.Grains.Caching;

/// <summary>
/// The cache store on Redis: one key per entry (<see cref="CacheStoreOptions.KeyPrefix"/> + cache key), the value the
/// Orleans-serialized <see cref="CacheEntry"/>, expiry as Redis' own <c>PX</c>, so entries outlive silo restarts and
/// expire without HotDash. One connection multiplexer for the silo, opened on first use and reconnecting by itself.
/// A flush SCANs and deletes the prefix only (never <c>FLUSHDB</c>: the same Redis holds membership and grain state).
/// </summary>
public sealed class RedisCacheStore(
    IOptions<CacheStoreOptions> options,
    Serializer serializer,
    TimeProvider time,
    ILogger<RedisCacheStore> logger) : ICacheStore, IAsyncDisposable
{
    private const int ScanPageSize = 1_000;
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly CacheStoreOptions _options = options.Value;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <inheritdoc />
    public string Type => "redis";

    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public async Task<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var db = (await ConnectAsync(cancellationToken)).GetDatabase();
        var value = await db.StringGetAsync(RedisKeyOf(key));
        if (value.IsNull)
        {
            return null;
        }
        try
        {
            var entry = serializer.Deserialize<CacheEntry>((byte[])value!);
            // PX has a millisecond's slack and the entry may name its own expiry: the entry decides.
            return entry is null || entry.ExpiresMs is { } expires && expires <= NowMs() ? null : entry;
        }
        catch (Exception e) when (e is SerializerException or InvalidOperationException or ArgumentException)
        {
            // Written by an incompatible version, or not by HotDash: a miss; the next answer overwrites it.
            CacheLog.UnreadableEntry(logger, e, key);
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.SizeBytes > _options.MaxEntryBytes)
        {
            return false;
        }
        TimeSpan? expiry = null;
        if (entry.ExpiresMs is { } expires)
        {
            var left = expires - NowMs();
            if (left <= 0)
            {
                return false;
            }
            expiry = TimeSpan.FromMilliseconds(left);
        }
        var db = (await ConnectAsync(cancellationToken)).GetDatabase();
        var bytes = serializer.SerializeToArray(entry);
        // StackExchange.Redis sends a TimeSpan expiry as PX.
        await db.StringSetAsync(RedisKeyOf(entry.Key), bytes, expiry, When.Always);
        return true;
    }

    /// <inheritdoc />
    public async Task<int> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return 0;
        }
        var db = (await ConnectAsync(cancellationToken)).GetDatabase();
        return await DeleteKeysAsync(db, keys.Distinct(StringComparer.Ordinal).Select(RedisKeyOf).ToList());
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var connection = await ConnectAsync(cancellationToken);
        var db = connection.GetDatabase();
        var pattern = EscapeGlob(_options.KeyPrefix) + "*";
        long deleted = 0;
        foreach (var server in connection.GetServers())
        {
            // A replica holds the same keys as its primary (and refuses deletes).
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }
            var batch = new List<RedisKey>(ScanPageSize);
            await foreach (var key in server.KeysAsync(db.Database, pattern, ScanPageSize).WithCancellation(cancellationToken))
            {
                batch.Add(key);
                if (batch.Count == ScanPageSize)
                {
                    deleted += await DeleteKeysAsync(db, batch);
                    batch.Clear();
                }
            }
            deleted += await DeleteKeysAsync(db, batch);
        }
        CacheLog.Flushed(logger, "redis", deleted);
    }

    /// <inheritdoc />
    public async Task<CachePing> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var db = (await ConnectAsync(cancellationToken)).GetDatabase();
            await db.PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return new CachePing(Type, Healthy: true);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The message names endpoints, never the connection string's password.
            return new CachePing(Type, Healthy: false, Error: e.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
        _connectLock.Dispose();
    }

    /// <summary>The Redis key an entry's cache key is stored under.</summary>
    public RedisKey RedisKeyOf(string key) => _options.KeyPrefix + key;

    // One DEL per key, pipelined on the multiplexer: works the same on a single Redis and on a Redis Cluster, where a
    // multi-key DEL must stay within one hash slot.
    private static async Task<int> DeleteKeysAsync(IDatabase db, IReadOnlyList<RedisKey> keys)
    {
        if (keys.Count == 0)
        {
            return 0;
        }
        var results = await Task.WhenAll(keys.Select(k => db.KeyDeleteAsync(k)));
        return results.Count(deleted => deleted);
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var config = ConfigurationOptions.Parse(_options.RedisConfiguration ?? throw new InvalidOperationException("CacheStoreOptions.RedisConfiguration is not set"));
                // Keep reconnecting after an outage instead of failing every later call.
                config.AbortOnConnectFail = false;
                _connection = await ConnectionMultiplexer.ConnectAsync(config);
            }
            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
