namespace HotDash.Grains;

/// <summary>What a <see cref="ICacheGrain.Lookup"/> tells the gateway to do.</summary>
[GenerateSerializer, Alias("hotdash.CacheLookupStatus")]
public enum CacheLookupStatus
{
    /// <summary>An entry is stored: replay <see cref="CacheLookup.Entry"/>.</summary>
    Hit = 0,

    /// <summary>Nothing stored and nobody asking upstream: this caller asks, holding <see cref="CacheLookup.LeaseId"/>, and reports back.</summary>
    Lead = 1,

    /// <summary>Another caller is asking upstream right now: wait on <see cref="ICacheGrain.Follow"/> for its answer.</summary>
    Follow = 2,

    /// <summary>Nothing stored and no coalescing asked for: go upstream, then <see cref="ICacheGrain.Store"/> the answer.</summary>
    Miss = 3,
}
