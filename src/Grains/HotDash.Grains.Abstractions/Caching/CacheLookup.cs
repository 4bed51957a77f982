namespace HotDash.Grains;

/// <summary>The cache grain's answer to a lookup.</summary>
/// <param name="Status">Hit, lead, follow or miss.</param>
/// <param name="Entry">The stored answer (<see cref="CacheLookupStatus.Hit"/>).</param>
/// <param name="LeaseId">The leader's lease (<see cref="CacheLookupStatus.Lead"/>): it must report with <see cref="ICacheGrain.Append"/> and <see cref="ICacheGrain.Complete"/>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.CacheLookup")]
public sealed record CacheLookup(
    [property: Id(0)] CacheLookupStatus Status,
    [property: Id(1)] CacheEntry? Entry = null,
    [property: Id(2)] string? LeaseId = null);
