using HotDash.Grains;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>One deployment's recent requests and latency, from the analytics store's usage overview.</summary>
/// <param name="Requests">Requests in the window.</param>
/// <param name="Errors">Of those, the failed ones.</param>
/// <param name="P50Ms">Median latency, ms (0 without requests).</param>
/// <param name="P95Ms">95th percentile latency, ms.</param>
public sealed record DeploymentLatency(long Requests, long Errors, double P50Ms, double P95Ms)
{
    /// <summary>No requests in the window.</summary>
    public static DeploymentLatency None { get; } = new(0, 0, 0, 0);

    /// <summary>The latency of a usage group's totals.</summary>
    public static DeploymentLatency From(UsageTotals totals) => new(totals.Requests, totals.Errors, totals.LatencyP50Ms, totals.LatencyP95Ms);
}
