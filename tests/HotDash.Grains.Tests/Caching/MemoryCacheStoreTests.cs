using HotDash.Grains.Caching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static HotDash.Grains.Tests.Caching.CacheTestData;

namespace HotDash.Grains.Tests.Caching;

public sealed class MemoryCacheStoreTests
{
    private const long Cap = 1L << 20;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private MemoryCacheStore NewStore(long cap = Cap, long maxEntry = 64 * 1024) =>
        new(Options.Create(new CacheStoreOptions { MemoryBytes = cap, MaxEntryBytes = maxEntry }), _time);

    private CacheEntry Sized(string key, int bytes) => Body(key, "", NowMs) with { Body = new byte[bytes] };

    [Fact]
    public async Task Set_TenTimesTheCap_BytesStayUnderTheCapAndTheNewestAreKept()
    {
        var store = NewStore();
        var keys = Enumerable.Range(0, 1_000).Select(i => $"k{i:D4}").ToList();

        foreach (var key in keys)
        {
            Assert.True(await store.SetAsync(Sized(key, 10 * 1024)));
            Assert.True(store.Bytes <= Cap, $"{store.Bytes} bytes held after {key}");
        }

        var cost = MemoryCacheStore.CostOf(Sized(keys[0], 10 * 1024));
        Assert.Equal(Cap / cost, store.Count);
        Assert.Equal(store.Count * cost, store.Bytes);
        // The most recent entries survive, the oldest went first.
        foreach (var key in keys.TakeLast(store.Count))
        {
            Assert.NotNull(await store.GetAsync(key));
        }
        Assert.Null(await store.GetAsync(keys[0]));
        Assert.Null(await store.GetAsync(keys[^(store.Count + 1)]));
    }

    [Fact]
    public async Task Get_ReadEntry_OutlivesEntriesNotRead()
    {
        var store = NewStore(cap: 4 * MemoryCacheStore.CostOf(Sized("k0", 1000)));
        for (var i = 0; i < 4; i++)
        {
            await store.SetAsync(Sized($"k{i}", 1000));
        }

        Assert.NotNull(await store.GetAsync("k0"));
        await store.SetAsync(Sized("k4", 1000));

        Assert.NotNull(await store.GetAsync("k0"));
        Assert.Null(await store.GetAsync("k1"));
        Assert.NotNull(await store.GetAsync("k4"));
        Assert.Equal(4, store.Count);
    }

    [Fact]
    public async Task Get_PastExpiry_NullAndDropped()
    {
        var store = NewStore();
        await store.SetAsync(Body("k", "x", NowMs, expiresMs: NowMs + 1_000));

        Assert.NotNull(await store.GetAsync("k"));
        _time.Advance(TimeSpan.FromMilliseconds(1_000));

        Assert.Null(await store.GetAsync("k"));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.Bytes);
    }

    [Fact]
    public async Task Set_OversizedOrExpired_FalseAndNotStored()
    {
        var store = NewStore(maxEntry: 1000);

        Assert.False(await store.SetAsync(Sized("big", 1001)));
        Assert.False(await store.SetAsync(Body("old", "x", NowMs, expiresMs: NowMs)));
        Assert.True(await store.SetAsync(Sized("fits", 1000)));

        Assert.Null(await store.GetAsync("big"));
        Assert.Null(await store.GetAsync("old"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Set_SameKeyAgain_ReplacesAndCountsOnce()
    {
        var store = NewStore();
        await store.SetAsync(Sized("k", 100));
        await store.SetAsync(Sized("k", 200));

        Assert.Equal(1, store.Count);
        Assert.Equal(MemoryCacheStore.CostOf(Sized("k", 200)), store.Bytes);
        Assert.Equal(200, (await store.GetAsync("k"))!.Body!.Length);
    }

    [Fact]
    public async Task DeleteFlushPing_CountWhatIsHeld()
    {
        var store = NewStore();
        for (var i = 0; i < 5; i++)
        {
            await store.SetAsync(Sized($"k{i}", 100));
        }

        Assert.Equal(2, await store.DeleteAsync(["k0", "k1", "missing"]));
        var ping = await store.PingAsync();
        Assert.Equal(new CachePing("local", true, null, 3, 3 * MemoryCacheStore.CostOf(Sized("k2", 100))), ping);
        await store.FlushAsync();
        Assert.Equal(new CachePing("local", true, null, 0, 0), await store.PingAsync());
        Assert.Null(await store.GetAsync("k2"));
    }

    [Fact]
    public async Task SetAndGet_ManyThreads_StayBoundedAndConsistent()
    {
        var store = NewStore(cap: 256 * 1024);

        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var key = $"k{i % 2_000}";
            if (i % 3 == 0)
            {
                await store.GetAsync(key);
            }
            else
            {
                await store.SetAsync(Sized(key, 100 + i % 900));
            }
        });

        Assert.True(store.Bytes <= 256 * 1024);
        Assert.True(store.Count > 0);
        await store.FlushAsync();
        Assert.Equal(0, store.Bytes);
    }
}
