namespace HotDash.Grains.Caching;

/// <summary>
/// The cache store of one silo (key: the silo's <see cref="SiloAddress.ToParsableString"/>; placed on that silo by
/// <see cref="SiloTargetedPlacement"/>). Silo-internal: <see cref="CacheAdminGrain"/> calls one per silo to reach every
/// silo's memory store; clients never do, so it is not in the abstractions.
/// </summary>
public interface ICacheSiloGrain : IGrainWithStringKey
{
    /// <summary>This silo's store's health and size.</summary>
    Task<CachePing> Ping();

    /// <summary>Deletes these cache keys from this silo's store; returns how many existed.</summary>
    Task<int> Delete(ImmutableArray<string> keys);

    /// <summary>Deletes every entry of this silo's store.</summary>
    Task Flush();
}
