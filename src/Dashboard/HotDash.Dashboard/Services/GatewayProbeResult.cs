namespace HotDash.Dashboard.Services;

/// <summary>The outcome of one GET of the gateway's <c>/health/readiness</c>.</summary>
/// <param name="Url">The URL probed.</param>
/// <param name="Reachable">True when the gateway answered at all (any HTTP status).</param>
/// <param name="StatusCode">The HTTP status, when it answered.</param>
/// <param name="Status">The <c>status</c> field of its JSON answer (<c>healthy</c>, ...), when there was one.</param>
/// <param name="LatencyMs">How long the probe took.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record GatewayProbeResult(string Url, bool Reachable, int? StatusCode, string? Status, double LatencyMs, string? Error)
{
    public bool IsHealthy => Reachable && StatusCode == 200 && string.Equals(Status, "healthy", StringComparison.OrdinalIgnoreCase);
}
