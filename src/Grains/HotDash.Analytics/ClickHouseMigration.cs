namespace HotDash.Analytics;

/// <summary>One embedded schema migration, <c>Migrations/NNNN_name.sql</c>, split into its statements
/// (the HTTP interface takes one statement per request).</summary>
public sealed record ClickHouseMigration(uint Version, string Name, IReadOnlyList<string> Statements);
