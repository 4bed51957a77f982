using static HotDash.Grains.Tests.Caching.CacheTestData;

namespace HotDash.Grains.Tests.Caching;

/// <summary>The admin grain on the memory store: each of the two silos holds its own entries, and admin reaches both.</summary>
[Collection(CachingClusterCollection.Name)]
public sealed class CacheAdminGrainTests(CachingClusterFixture fixture)
{
    private ICacheAdminGrain Admin => fixture.Grains.GetGrain<ICacheAdminGrain>(0);

    // Entries written straight into each silo's store, so both certainly hold some.
    private async Task<(List<string> OnFirst, List<string> OnSecond)> FillBothSilos(int each)
    {
        var first = Enumerable.Range(0, each).Select(_ => NewKey()).ToList();
        var second = Enumerable.Range(0, each).Select(_ => NewKey()).ToList();
        foreach (var key in first)
        {
            Assert.True(await fixture.Store(0).SetAsync(Body(key, "on silo 0", fixture.NowMs())));
        }
        foreach (var key in second)
        {
            Assert.True(await fixture.Store(1).SetAsync(Body(key, "on silo 1", fixture.NowMs())));
        }
        return (first, second);
    }

    [Fact]
    public async Task Flush_MemoryStores_EmptiesEverySilo()
    {
        var (first, second) = await FillBothSilos(10);
        // And some through the cache grains, wherever they were placed.
        var viaGrains = Enumerable.Range(0, 10).Select(_ => NewKey()).ToList();
        foreach (var key in viaGrains)
        {
            await fixture.Grains.GetGrain<ICacheGrain>(key).Store(Body(key, "via grain", fixture.NowMs()), Keep);
        }

        await Admin.Flush();

        Assert.Equal(0, fixture.Store(0).Count);
        Assert.Equal(0, fixture.Store(1).Count);
        Assert.Null(await fixture.Store(0).GetAsync(first[0]));
        Assert.Null(await fixture.Store(1).GetAsync(second[0]));
        foreach (var key in viaGrains)
        {
            Assert.Equal(CacheLookupStatus.Miss, (await fixture.Grains.GetGrain<ICacheGrain>(key).Lookup(Plain(fixture.NowMs()))).Status);
        }
    }

    [Fact]
    public async Task Ping_MemoryStores_HealthyWithTheEntriesOfEverySilo()
    {
        await Admin.Flush();
        await FillBothSilos(3);

        var ping = await Admin.Ping();

        Assert.Equal("local", ping.Type);
        Assert.True(ping.Healthy);
        Assert.Equal(6, ping.Entries);
        Assert.Equal(fixture.Store(0).Bytes + fixture.Store(1).Bytes, ping.Bytes);
    }

    [Fact]
    public async Task Delete_KeysOnBothSilos_DeletesThemAndCountsThem()
    {
        var (first, second) = await FillBothSilos(3);

        var deleted = await Admin.Delete([first[0], second[0], second[1], NewKey()]);

        Assert.Equal(3, deleted);
        Assert.Null(await fixture.Store(0).GetAsync(first[0]));
        Assert.Null(await fixture.Store(1).GetAsync(second[1]));
        Assert.NotNull(await fixture.Store(0).GetAsync(first[1]));
        Assert.NotNull(await fixture.Store(1).GetAsync(second[2]));
        Assert.Equal(0, await Admin.Delete([]));
    }
}
