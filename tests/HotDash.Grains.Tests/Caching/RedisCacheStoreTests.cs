using HotDash.Grains.Caching;
using HotDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using StackExchange.Redis;
using Xunit.Abstractions;
using static HotDash.Grains.Tests.Caching.CacheTestData;

namespace HotDash.Grains.Tests.Caching;

/// <summary>The Redis store against the real Redis of <see cref="TestRedis"/>, each test under a key prefix of its own.</summary>
public sealed class RedisCacheStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _prefix = $"hotdash:cache:test-{Guid.NewGuid():N}:";
    private readonly List<IAsyncDisposable> _disposables = [];
    private ConnectionMultiplexer? _redis;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            await d.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<(RedisCacheStore Store, IDatabase Db)?> Start(long maxEntry = 64 * 1024)
    {
        if (TestRedis.Address(output) is not { } address)
        {
            return null;
        }
        var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(CacheEntry).Assembly)).BuildServiceProvider();
        _disposables.Add(services);
        var store = new RedisCacheStore(
            Options.Create(new CacheStoreOptions { Kind = CacheStoreKind.Redis, RedisConfiguration = address, KeyPrefix = _prefix, MaxEntryBytes = maxEntry }),
            services.GetRequiredService<Serializer>(),
            TimeProvider.System,
            NullLogger<RedisCacheStore>.Instance);
        _disposables.Add(store);
        _redis ??= await ConnectionMultiplexer.ConnectAsync(address);
        return (store, _redis.GetDatabase());
    }

    [Fact]
    public async Task SetThenGet_BodyAndStream_SameAnswerBack()
    {
        if (await Start() is not var (store, db))
        {
            return;
        }
        var body = Body("plain", "hello", NowMs);
        var stream = Stream("streamed", Enumerable.Range(0, 5).Select(Chunk), NowMs) with { Cost = 1.25m, DeploymentId = "d" };

        Assert.True(await store.SetAsync(body));
        Assert.True(await store.SetAsync(stream));
        var gotBody = await store.GetAsync("plain");
        var gotStream = await store.GetAsync("streamed");

        Assert.Equal(body.Body, gotBody!.Body);
        Assert.Equal(body.Cost, gotBody.Cost);
        Assert.Equal(body.CreatedMs, gotBody.CreatedMs);
        Assert.True(gotStream!.Streamed);
        Assert.Equal(stream.Chunks.Length, gotStream.Chunks.Length);
        for (var i = 0; i < stream.Chunks.Length; i++)
        {
            Assert.Equal(stream.Chunks[i], gotStream.Chunks[i]);
        }
        Assert.Equal(1.25m, gotStream.Cost);
        Assert.True(await db.KeyExistsAsync(_prefix + "plain"));
        Assert.Equal(TimeSpan.Zero, await db.KeyTimeToLiveAsync(_prefix + "plain") ?? TimeSpan.Zero);
        Assert.Null(await store.GetAsync("missing"));
    }

    [Fact]
    public async Task Set_WithExpiry_RedisExpiresTheKey()
    {
        if (await Start() is not var (store, db))
        {
            return;
        }

        // Connected first, so the time to connect does not eat into the entry's life.
        Assert.True((await store.PingAsync()).Healthy);
        var expires = NowMs + 1_000;

        Assert.True(await store.SetAsync(Body("ttl", "soon gone", NowMs, expiresMs: expires)));
        var ttl = await db.KeyTimeToLiveAsync(_prefix + "ttl");
        Assert.NotNull(await store.GetAsync("ttl"));
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, expires - NowMs) + 300));

        Assert.InRange(ttl!.Value.TotalMilliseconds, 1, 1_000);
        Assert.Null(await store.GetAsync("ttl"));
        Assert.False(await db.KeyExistsAsync(_prefix + "ttl"));
    }

    [Fact]
    public async Task Set_OversizedOrExpired_FalseAndNothingInRedis()
    {
        if (await Start(maxEntry: 1000) is not var (store, db))
        {
            return;
        }

        Assert.False(await store.SetAsync(Body("big", "", NowMs) with { Body = new byte[1001] }));
        Assert.False(await store.SetAsync(Body("old", "x", NowMs, expiresMs: NowMs - 1)));

        Assert.False(await db.KeyExistsAsync(_prefix + "big"));
        Assert.False(await db.KeyExistsAsync(_prefix + "old"));
    }

    [Fact]
    public async Task Delete_SomeKeys_CountsThoseThatExisted()
    {
        if (await Start() is not var (store, _))
        {
            return;
        }
        await store.SetAsync(Body("a", "1", NowMs));
        await store.SetAsync(Body("b", "2", NowMs));

        Assert.Equal(2, await store.DeleteAsync(["a", "b", "c", "a"]));
        Assert.Equal(0, await store.DeleteAsync(["a"]));
        Assert.Null(await store.GetAsync("a"));
    }

    [Fact]
    public async Task Flush_ManyEntries_DeletesThePrefixOnly()
    {
        if (await Start() is not var (store, db))
        {
            return;
        }
        // More than one SCAN page; a key of another prefix, one that only starts like it, and one outside the cache.
        await Task.WhenAll(Enumerable.Range(0, 2_500).Select(i => store.SetAsync(Body($"k{i}", "x", NowMs))));
        var others = new RedisKey[] { _prefix.TrimEnd(':') + "-sibling:k1", "hotdash:other:" + Guid.NewGuid().ToString("N"), _prefix[..^1] };
        foreach (var other in others)
        {
            await db.StringSetAsync(other, "keep me", TimeSpan.FromMinutes(5));
        }

        await store.FlushAsync();

        Assert.Null(await store.GetAsync("k0"));
        Assert.Null(await store.GetAsync("k2499"));
        var server = _redis!.GetServers()[0];
        var left = 0;
        await foreach (var _ in server.KeysAsync(pattern: _prefix + "*"))
        {
            left++;
        }
        Assert.Equal(0, left);
        foreach (var other in others)
        {
            Assert.Equal("keep me", (string?)await db.StringGetAsync(other));
        }
        await db.KeyDeleteAsync(others);
    }

    [Fact]
    public async Task Ping_Reachable_Healthy()
    {
        if (await Start() is not var (store, _))
        {
            return;
        }

        Assert.Equal(new CachePing("redis", true), await store.PingAsync());
    }

    [Fact]
    public async Task Ping_NobodyListening_UnhealthyWithReason()
    {
        var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(CacheEntry).Assembly)).BuildServiceProvider();
        _disposables.Add(services);
        var port = FreePorts.Next();
        var store = new RedisCacheStore(
            Options.Create(new CacheStoreOptions { Kind = CacheStoreKind.Redis, RedisConfiguration = $"127.0.0.1:{port},connectTimeout=500", KeyPrefix = _prefix }),
            services.GetRequiredService<Serializer>(),
            TimeProvider.System,
            NullLogger<RedisCacheStore>.Instance);
        _disposables.Add(store);

        var ping = await store.PingAsync();

        Assert.Equal("redis", ping.Type);
        Assert.False(ping.Healthy);
        Assert.False(string.IsNullOrEmpty(ping.Error));
    }
}
