using System.ComponentModel.DataAnnotations;

namespace HotDash.Dashboard.Access;

/// <summary>
/// Limits of the dashboard login, bound from <c>HotDash:Dashboard:Access</c>
/// (e.g. <c>HotDash__Dashboard__Access__MaxFailures=10</c>).
/// </summary>
public sealed class DashboardAccessOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string Section = "HotDash:Dashboard:Access";

    /// <summary>Wrong logins one client IP may make within <see cref="FailureWindow"/> before it gets 429. Default 5.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>The sliding window the failures are counted in. Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a sign-in lasts without use (sliding). Default 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
