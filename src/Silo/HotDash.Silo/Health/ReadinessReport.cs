using System.Text.Json.Serialization;

namespace HotDash.Silo.Health;

/// <summary>The body of <c>GET /health/readiness</c>.</summary>
/// <param name="Status"><c>healthy</c> or <c>unhealthy</c>.</param>
/// <param name="Role">Always <c>silo</c>.</param>
/// <param name="Silo">This silo's membership status and address.</param>
/// <param name="Cluster">What this silo sees of the cluster.</param>
/// <param name="GrainStorage"><c>memory</c> or <c>redis</c>.</param>
/// <param name="Redis"><c>connected</c>, <c>unreachable</c>, or null when Redis is not configured.</param>
/// <param name="Db">The registry's PostgreSQL: <c>connected</c>, <c>unreachable</c>, or null when no database is configured.</param>
/// <param name="Analytics">The analytics store (ClickHouse or the embedded DuckDB).</param>
/// <param name="Archive">The event archive (S3 or the local folder).</param>
public sealed record ReadinessReport(
    string Status, string Role, SiloState Silo, ClusterState Cluster, string GrainStorage, string? Redis, string? Db, StoreState Analytics, StoreState Archive)
{
    /// <summary>True when the silo can serve grain calls.</summary>
    [JsonIgnore]
    public bool IsHealthy => Status == "healthy";
}
