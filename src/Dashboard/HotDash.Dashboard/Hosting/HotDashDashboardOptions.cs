using System.ComponentModel.DataAnnotations;

namespace HotDash.Dashboard.Hosting;

/// <summary>
/// How the dashboard reads the cluster and the gateway. Bound from the host configuration section
/// <c>HotDash:Dashboard</c> (e.g. <c>HotDash__Dashboard__RefreshInterval=00:00:10</c>); the defaults suit a local cluster.
/// </summary>
public sealed class HotDashDashboardOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string Section = "HotDash:Dashboard";

    /// <summary>How often an open page re-reads the cluster and the gateway. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one call into the cluster (silo list, gateway registry) may take before the cluster is shown as
    /// unreachable. Default 3 seconds: far below Orleans' own 30-second response timeout, so a page never hangs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ClusterCallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Timeout of the HTTP probe of the gateway's <c>/health/readiness</c>. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan GatewayProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
