using Orleans.Placement;

namespace HotDash.Grains.Caching;

/// <summary>Marks a grain class as placed by <see cref="SiloTargetedPlacement"/>: on the silo its key names.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloTargetedPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloTargetedPlacementAttribute()
        : base(SiloTargetedPlacement.Instance)
    {
    }
}
