namespace HotDash.Grains.Caching;

/// <summary>
/// Places a grain on the silo its string key names (<see cref="SiloAddress.ToParsableString"/>), so a caller anywhere,
/// a client included, can reach a grain on each silo of the cluster. Directed by <see cref="SiloTargetedPlacementDirector"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.SiloTargetedPlacement")]
public sealed class SiloTargetedPlacement : PlacementStrategy
{
    /// <summary>The one instance the attribute uses.</summary>
    public static readonly SiloTargetedPlacement Instance = new();
}
