using Orleans.Concurrency;

namespace HotDash.Grains.Caching;

/// <summary>One silo's door to its own <see cref="ICacheStore"/> (see <see cref="ICacheSiloGrain"/>); holds nothing.</summary>
[SiloTargetedPlacement]
[Reentrant]
[CollectionAgeLimit(Minutes = 2)]
public sealed class CacheSiloGrain(ICacheStore store) : Grain, ICacheSiloGrain
{
    /// <inheritdoc />
    public Task<CachePing> Ping() => store.PingAsync();

    /// <inheritdoc />
    public Task<int> Delete(ImmutableArray<string> keys) => store.DeleteAsync(keys.IsDefault ? [] : keys);

    /// <inheritdoc />
    public Task Flush() => store.FlushAsync();
}
