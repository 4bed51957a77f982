using Orleans.Runtime.Placement;

namespace HotDash.Grains.Caching;

/// <summary>
/// Places a <see cref="SiloTargetedPlacement"/> grain on the silo its key names. Placement runs on the silo that handles
/// the first call (for a client's call, its gateway silo), which is why this works from anywhere where
/// <c>[PreferLocalPlacement]</c> only reaches the caller's own silo. A key naming no active silo fails the call rather than
/// landing somewhere else: a per-silo operation must not run on the wrong silo.
/// </summary>
public sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString();
        SiloAddress wanted;
        try
        {
            wanted = SiloAddress.FromParsableString(key);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"grain {target.GrainIdentity} is placed by silo address, and '{key}' is not one", e);
        }
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(wanted))
            {
                return Task.FromResult(silo);
            }
        }
        throw new SiloUnavailableException($"silo {key} is not an active silo of the cluster");
    }
}
