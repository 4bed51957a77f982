namespace HotDash.Dashboard.Services;

/// <summary>The cluster's silos as the management grain reports them, or why they could not be read.</summary>
public sealed record ClusterSnapshot(bool IsReachable, string? Error, IReadOnlyList<SiloView> Silos, DateTimeOffset TakenAt)
{
    public int ActiveSilos => Silos.Count(s => s.IsActive);

    public static ClusterSnapshot Reachable(IReadOnlyList<SiloView> silos, DateTimeOffset at) => new(true, null, silos, at);

    public static ClusterSnapshot Unreachable(string error, DateTimeOffset at) => new(false, error, [], at);
}
