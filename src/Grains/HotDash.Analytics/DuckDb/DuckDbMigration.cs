namespace HotDash.Analytics.DuckDb;

/// <summary>One schema migration of the embedded store: its statements run in one transaction with its
/// <c>schema_migrations</c> record (DuckDB's DDL is transactional, unlike ClickHouse's).</summary>
/// <param name="Version">Applied in ascending order; never reused.</param>
/// <param name="Name">What it does, for <c>schema_migrations</c>.</param>
/// <param name="Statements">Its statements, each idempotent (<c>IF NOT EXISTS</c>) for a store migrated by hand.</param>
public sealed record DuckDbMigration(int Version, string Name, IReadOnlyList<string> Statements);
