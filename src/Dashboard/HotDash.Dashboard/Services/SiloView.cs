namespace HotDash.Dashboard.Services;

/// <summary>One silo's membership entry, flattened for display (and for prerender state, which must serialise to JSON).</summary>
public sealed record SiloView(
    string Address,
    int Generation,
    string Name,
    string HostName,
    string Status,
    bool IsActive,
    int GatewayPort,
    DateTimeOffset StartedAt,
    DateTimeOffset LastAliveAt)
{
    public static SiloView From(MembershipEntry e) => new(
        e.SiloAddress.Endpoint.ToString(),
        e.SiloAddress.Generation,
        e.SiloName ?? "",
        e.HostName ?? "",
        e.Status.ToString(),
        e.Status == SiloStatus.Active,
        e.ProxyPort,
        AsUtc(e.StartTime),
        AsUtc(e.IAmAliveTime));

    // Membership times are UTC but may arrive with Kind Unspecified.
    private static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
