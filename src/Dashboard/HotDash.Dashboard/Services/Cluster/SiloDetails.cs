namespace HotDash.Dashboard.Services.Cluster;

/// <summary>A silo's membership entry with its runtime statistics (null when it is not active or did not answer).</summary>
/// <param name="Silo">The membership entry.</param>
/// <param name="Runtime">Its runtime statistics.</param>
public sealed record SiloDetails(SiloView Silo, SiloRuntimeView? Runtime)
{
    /// <summary>How long an active silo has been up at <paramref name="now"/>; null for one that is not active.</summary>
    public TimeSpan? Uptime(DateTimeOffset now) => Silo.IsActive && now >= Silo.StartedAt ? now - Silo.StartedAt : null;
}
