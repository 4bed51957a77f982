namespace HotDash.Dashboard.Services.Analytics;

/// <summary>Where a panel's numbers came from.</summary>
public enum UsageSource
{
    /// <summary>Nothing could be read.</summary>
    None,

    /// <summary>The rollup grains (live: includes requests not yet written to the store).</summary>
    Live,

    /// <summary>The analytics store.</summary>
    Store,

    /// <summary>Some rows from the rollups, some from the store.</summary>
    Mixed,
}
