using HotDash.Grains.Caching;
using HotDash.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit.Abstractions;
using static HotDash.Grains.Tests.Caching.CacheTestData;

namespace HotDash.Grains.Tests.Caching;

/// <summary>The cache grains and the admin grain over the real Redis of <see cref="TestRedis"/>, under a key prefix of this test's own.</summary>
public sealed class RedisCacheClusterTests(ITestOutputHelper output)
{
    private readonly string _prefix = $"hotdash:cache:test-{Guid.NewGuid():N}:";

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<InProcessTestCluster> StartCluster(string redis)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.Services.AddHotDashCache(o =>
        {
            o.Kind = CacheStoreKind.Redis;
            o.RedisConfiguration = redis;
            o.KeyPrefix = _prefix;
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task StoreLookupAndAdmin_OnRedis_SurviveASiloRestartAndFlushThePrefix()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        var key = NewKey();
        var other = NewKey();
        var cluster = await StartCluster(redis);
        try
        {
            await cluster.Client.GetGrain<ICacheGrain>(key).Store(Body(key, "kept in redis", NowMs), KeepFor(TimeSpan.FromMinutes(5)));
            await cluster.Client.GetGrain<ICacheGrain>(other).Store(Body(other, "deleted", NowMs), Keep);
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        cluster = await StartCluster(redis);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        try
        {
            var admin = cluster.Client.GetGrain<ICacheAdminGrain>(0);
            var hit = await cluster.Client.GetGrain<ICacheGrain>(key).Lookup(Plain(NowMs));
            Assert.Equal(CacheLookupStatus.Hit, hit.Status);
            Assert.Equal(Body(key, "kept in redis", 0).Body, hit.Entry!.Body);
            var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(_prefix + key);
            Assert.InRange(ttl!.Value.TotalSeconds, 200, 300);

            Assert.Equal(new CachePing("redis", true), await admin.Ping());
            Assert.Equal(1, await admin.Delete([other, NewKey()]));
            Assert.Equal(CacheLookupStatus.Miss, (await cluster.Client.GetGrain<ICacheGrain>(other).Lookup(Plain(NowMs))).Status);
            await admin.Flush();
            Assert.Equal(CacheLookupStatus.Miss, (await cluster.Client.GetGrain<ICacheGrain>(key).Lookup(Plain(NowMs))).Status);
            Assert.False(await connection.GetDatabase().KeyExistsAsync(_prefix + key));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
