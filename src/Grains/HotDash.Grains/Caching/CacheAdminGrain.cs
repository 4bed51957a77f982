using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace HotDash.Grains.Caching;

/// <summary>
/// <c>/cache/ping</c>, <c>/cache/delete</c> and <c>/cache/flushall</c> (see <see cref="ICacheAdminGrain"/>). On Redis,
/// which every silo shares, one call to this silo's store does it. On the memory store each silo holds its own
/// entries (a cache grain writes where it is active), so ping, delete and flush go to every active silo's
/// <see cref="ICacheSiloGrain"/>, placed on that silo by its key; a silo that left meanwhile took its entries with it.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class CacheAdminGrain(
    ICacheStore store,
    IClusterMembershipService membership,
    ILogger<CacheAdminGrain> logger) : Grain, ICacheAdminGrain
{
    /// <inheritdoc />
    public async Task<CachePing> Ping()
    {
        if (store.IsShared)
        {
            return await store.PingAsync();
        }
        var pings = await OnEverySilo("ping", silo => silo.Ping(), new CachePing(store.Type, Healthy: true, Entries: 0, Bytes: 0));
        var unhealthy = pings.FirstOrDefault(p => !p.Healthy);
        return new CachePing(store.Type, unhealthy is null, unhealthy?.Error, pings.Sum(p => p.Entries ?? 0), pings.Sum(p => p.Bytes ?? 0));
    }

    /// <inheritdoc />
    public async Task<int> Delete(ImmutableArray<string> keys)
    {
        if (keys.IsDefaultOrEmpty)
        {
            return 0;
        }
        if (store.IsShared)
        {
            return await store.DeleteAsync(keys);
        }
        var counts = await OnEverySilo("delete", silo => silo.Delete(keys), 0);
        return counts.Sum();
    }

    /// <inheritdoc />
    public async Task Flush()
    {
        if (store.IsShared)
        {
            await store.FlushAsync();
            return;
        }
        await OnEverySilo("flush", async silo =>
        {
            await silo.Flush();
            return true;
        }, true);
    }

    private async Task<T[]> OnEverySilo<T>(string operation, Func<ICacheSiloGrain, Task<T>> call, T whenGone)
    {
        var silos = ActiveSilos();
        var results = await Task.WhenAll(silos.Select(async address =>
        {
            try
            {
                return await call(GrainFactory.GetGrain<ICacheSiloGrain>(address.ToParsableString()));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (!ActiveSilos().Contains(address))
                {
                    CacheLog.SiloLeft(logger, e, address.ToString(), operation);
                    return whenGone;
                }
                CacheLog.SiloUnreachable(logger, e, address.ToString(), operation);
                throw;
            }
        }));
        return results;
    }

    private HashSet<SiloAddress> ActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
}
