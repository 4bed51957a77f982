namespace HotDash.Registry;

/// <summary>What one <see cref="RegistryMigrator.MigrateAsync"/> did.</summary>
/// <param name="SchemaVersion">The highest version applied to the schema now.</param>
/// <param name="Applied">The migrations this run applied (empty when the schema was already up to date).</param>
public sealed record MigrationReport(int SchemaVersion, IReadOnlyList<Migration> Applied);
