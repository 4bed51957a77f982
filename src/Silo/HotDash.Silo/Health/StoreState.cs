using System.Text.Json.Serialization;

namespace HotDash.Silo.Health;

/// <summary>The analytics store or the archive in the readiness report.</summary>
/// <param name="Store"><c>clickhouse</c> or <c>duckdb</c>; for the archive <c>s3</c> or <c>folder</c>.</param>
/// <param name="Status"><c>connected</c> (migrated or created, and answering) or <c>unreachable</c>.</param>
/// <param name="Endpoint"><c>host:port/database</c>, <c>host:port/bucket</c> or the local path; never a credential.</param>
public sealed record StoreState(string Store, string Status, string Endpoint)
{
    /// <summary>True when connected.</summary>
    [JsonIgnore]
    public bool IsConnected => Status == "connected";
}
