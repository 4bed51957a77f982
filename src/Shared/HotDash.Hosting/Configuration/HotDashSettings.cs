namespace HotDash.Hosting.Configuration;

/// <summary>
/// The HotDash-only <c>hotdash:</c> section (LiteLLM ignores it). Every value can also come from
/// the environment (<c>HOTDASH_API_PORT</c>, ...), which wins over the file.
/// </summary>
public sealed class HotDashSettings
{
    /// <summary>Interface the HTTP ports bind to (<c>bind_address</c>, <c>HOTDASH_BIND</c>); default all interfaces, as LiteLLM.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>Gateway API port (<c>api_port</c>, <c>HOTDASH_API_PORT</c>), default 4000.</summary>
    public int ApiPort { get; init; } = 4000;

    /// <summary>Dashboard port (<c>dashboard_port</c>, <c>HOTDASH_DASHBOARD_PORT</c>), default 3000.</summary>
    public int DashboardPort { get; init; } = 3000;

    /// <summary>Silo health port (<c>silo_port</c>, <c>HOTDASH_SILO_PORT</c>), default 3030.</summary>
    public int SiloHttpPort { get; init; } = 3030;

    /// <summary>Orleans silo-to-silo port (<c>orleans_silo_port</c>, <c>HOTDASH_ORLEANS_SILO_PORT</c>), default 11111.</summary>
    public int OrleansSiloPort { get; init; } = 11111;

    /// <summary>Orleans client gateway port (<c>orleans_gateway_port</c>, <c>HOTDASH_ORLEANS_GATEWAY_PORT</c>), default 30000.</summary>
    public int OrleansGatewayPort { get; init; } = 30000;

    /// <summary>Orleans cluster id (<c>cluster_id</c>, <c>HOTDASH_CLUSTER_ID</c>), default <c>hotdash</c>.</summary>
    public string ClusterId { get; init; } = "hotdash";

    /// <summary>Orleans service id (<c>service_id</c>, <c>HOTDASH_SERVICE_ID</c>), default <c>hotdash</c>.</summary>
    public string ServiceId { get; init; } = "hotdash";

    /// <summary>The gateway's base URL as the dashboard should link and probe it (<c>gateway_url</c>).</summary>
    public string? GatewayUrl { get; init; }

    /// <summary>The address a Redis-clustered silo advertises to others (<c>advertised_address</c>); default loopback.</summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>
    /// The PostgreSQL schema HotDash's tables live in (<c>db_schema</c>, <c>HOTDASH_DB_SCHEMA</c>), default <c>hotdash</c>:
    /// a lower-case SQL name, so HotDash can share a database with LiteLLM's own tables.
    /// </summary>
    public string DbSchema { get; init; } = "hotdash";

    /// <summary>
    /// Where the embedded stores keep their files (<c>data_dir</c>, <c>HOTDASH_DATA_DIR</c>), default <c>.hotdash</c> in the
    /// current directory; an absolute path.
    /// </summary>
    public string DataDir { get; init; } = Path.Combine(Directory.GetCurrentDirectory(), ".hotdash");

    /// <summary><c>tracing</c>: the trace pipeline.</summary>
    public TracingSettings Tracing { get; init; } = new();

    /// <summary><c>analytics</c>: the analytics store (ClickHouse or the embedded DuckDB).</summary>
    public AnalyticsSettings Analytics { get; init; } = new();

    /// <summary><c>archive</c>: the raw event archive (S3 or a local folder).</summary>
    public ArchiveSettings Archive { get; init; } = new();

    /// <summary>Every key as written.</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = new Dictionary<string, object?>();
}
