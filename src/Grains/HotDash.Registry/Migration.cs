namespace HotDash.Registry;

/// <summary>One versioned step of the registry schema, applied once, in its own transaction.</summary>
/// <param name="Version">Its number: migrations run in this order and each is recorded in <c>schema_migrations</c>.</param>
/// <param name="Name">What it does, in a word or two (from the file name, <c>0001_registry.sql</c>: <c>registry</c>).</param>
/// <param name="Sql">Its statements, with table names unqualified (they run with <c>search_path</c> on the schema).</param>
public sealed record Migration(int Version, string Name, string Sql);
