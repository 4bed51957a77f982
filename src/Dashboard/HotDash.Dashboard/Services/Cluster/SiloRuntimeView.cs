namespace HotDash.Dashboard.Services.Cluster;

/// <summary>
/// One silo's runtime statistics (<see cref="IManagementGrain.GetRuntimeStatistics(SiloAddress[])"/>), flattened for
/// display and for prerender state (JSON). Values the silo could not measure are null.
/// </summary>
/// <param name="ActivationCount">Activations on the silo (system targets excluded).</param>
/// <param name="RecentlyUsedActivations">Of those, the recently used ones.</param>
/// <param name="CpuPercent">CPU use of the silo's host, percent (0-100).</param>
/// <param name="MemoryUsedBytes">Memory the silo uses, bytes.</param>
/// <param name="MemoryAvailableBytes">Memory still available to it, bytes.</param>
/// <param name="MemoryTotalBytes">Physical memory of the host (or the container's limit), bytes.</param>
/// <param name="IsOverloaded">True while the silo sheds load.</param>
/// <param name="Clients">Orleans clients (gateways, dashboards) connected to it.</param>
/// <param name="MeasuredAt">When the silo took the statistics.</param>
public sealed record SiloRuntimeView(
    int ActivationCount,
    int RecentlyUsedActivations,
    float? CpuPercent,
    long? MemoryUsedBytes,
    long? MemoryAvailableBytes,
    long? MemoryTotalBytes,
    bool IsOverloaded,
    long Clients,
    DateTimeOffset MeasuredAt)
{
    /// <summary>The view of the management grain's statistics (its environment statistics: the filtered values).</summary>
    public static SiloRuntimeView From(SiloRuntimeStatistics s)
    {
        var e = s.EnvironmentStatistics;
        return new(
            s.ActivationCount,
            s.RecentlyUsedActivationCount,
            float.IsFinite(e.FilteredCpuUsagePercentage) && e.FilteredCpuUsagePercentage >= 0 ? e.FilteredCpuUsagePercentage : null,
            Known(e.FilteredMemoryUsageBytes),
            Known(e.FilteredAvailableMemoryBytes),
            Known(e.MaximumAvailableMemoryBytes),
            s.IsOverloaded,
            s.ClientCount,
            new DateTimeOffset(DateTime.SpecifyKind(s.DateTime, DateTimeKind.Utc)));
    }

    // A silo that could not measure memory reports 0.
    private static long? Known(long bytes) => bytes > 0 ? bytes : null;
}
