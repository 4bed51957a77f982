using HotDash.Registry;

namespace HotDash.Silo.Health;

/// <summary>
/// <c>SELECT 1</c> against the registry's PostgreSQL for the readiness probe, over the registry's own pooled data
/// source. Not configured: <see cref="PingAsync"/> returns null.
/// </summary>
public sealed class DatabaseProbe(RegistryDatabase? database)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>"connected" or "unreachable"; null when no database is configured.</summary>
    public async Task<string?> PingAsync(CancellationToken cancellationToken) =>
        database is null ? null : await database.PingAsync(Timeout, cancellationToken) ? "connected" : "unreachable";
}
