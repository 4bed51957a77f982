using System.Diagnostics;
using HotDash.Registry.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HotDash.Registry;

/// <summary>
/// Brings the registry schema up to date: creates the schema and its <c>schema_migrations(version, name, applied_at)</c>
/// table when missing, then applies each migration not yet recorded there, in version order, each in its own
/// transaction together with its record. A PostgreSQL advisory lock (per schema) makes silos that start together
/// take turns; the later ones find nothing to do. Running it again is a no-op.
/// </summary>
public sealed class RegistryMigrator
{
    // pg_advisory_lock(classid, objid): classid "HDMG" marks HotDash migrations, objid is the schema's hash.
    private const int LockClass = 0x48444D47;

    // How long a silo waits for another one's migration before giving up (its start then fails).
    private const int LockTimeoutSeconds = 300;

    private readonly RegistryDatabase _database;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<Migration> _migrations;

    /// <summary>A migrator for the migrations this build ships (<see cref="RegistryMigrations.All"/>).</summary>
    public RegistryMigrator(RegistryDatabase database, ILogger<RegistryMigrator> logger)
        : this(database, logger, RegistryMigrations.All)
    {
    }

    internal RegistryMigrator(RegistryDatabase database, ILogger logger, IReadOnlyList<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(migrations);
        _database = database;
        _logger = logger;
        _migrations = [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>Applies what is missing. Throws <see cref="NpgsqlException"/> when the database is unreachable or a migration fails (that one is rolled back).</summary>
    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken)
    {
        var schema = _database.Schema;
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock($1, hashtext($2))", [LockClass, schema], cancellationToken))
        {
            RegistryLog.WaitingForMigrationLock(_logger, schema);
            await ExecuteAsync(connection, "SELECT pg_advisory_lock($1, hashtext($2))", cancellationToken, LockTimeoutSeconds, [LockClass, schema]);
        }
        try
        {
            await EnsureSchemaAsync(connection, cancellationToken);
            var recorded = await RecordedVersionsAsync(connection, cancellationToken);
            var applied = new List<Migration>();
            foreach (var migration in _migrations.Where(m => !recorded.Contains(m.Version)))
            {
                var started = Stopwatch.GetTimestamp();
                await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
                {
                    await ExecuteAsync(connection, $"SET LOCAL search_path TO {_database.QuotedSchema}", cancellationToken);
                    // No timeout: a migration rewriting a big table may take long, and it is all or nothing.
                    await ExecuteAsync(connection, migration.Sql, cancellationToken, timeoutSeconds: 0);
                    await ExecuteAsync(connection, $"INSERT INTO {_database.QuotedSchema}.schema_migrations (version, name) VALUES ($1, $2)",
                        cancellationToken, parameters: [migration.Version, migration.Name]);
                    await tx.CommitAsync(cancellationToken);
                }
                recorded.Add(migration.Version);
                applied.Add(migration);
                RegistryLog.MigrationApplied(_logger, migration.Version, migration.Name, schema, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var version = recorded.Count == 0 ? 0 : recorded.Max();
            var known = _migrations.Count == 0 ? 0 : _migrations[^1].Version;
            if (version > known)
            {
                RegistryLog.SchemaNewer(_logger, schema, version, known);
            }
            else
            {
                RegistryLog.SchemaReady(_logger, schema, version);
            }
            return new MigrationReport(version, applied);
        }
        finally
        {
            await UnlockAsync(connection, schema);
        }
    }

    // Checked before creating: a database user without CREATE rights can still run on a schema an admin made.
    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var quoted = _database.QuotedSchema;
        if (!await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", [_database.Schema], cancellationToken))
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA {quoted}", cancellationToken);
        }
        if (!await ScalarAsync<bool>(connection, "SELECT to_regclass($1) IS NOT NULL", [$"{quoted}.schema_migrations"], cancellationToken))
        {
            await ExecuteAsync(connection,
                $"CREATE TABLE {quoted}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
        }
    }

    private async Task<HashSet<int>> RecordedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {_database.QuotedSchema}.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }
        return versions;
    }

    private static async Task UnlockAsync(NpgsqlConnection connection, string schema)
    {
        try
        {
            await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock($1, hashtext($2))", [LockClass, schema], CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection is broken: the session, and its lock, are gone with it.
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 30 };
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, int timeoutSeconds = 30, object[]? parameters = null)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        foreach (var p in parameters ?? [])
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
