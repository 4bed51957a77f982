using System.Text.Json;

namespace HotDash.Analytics;

/// <summary>
/// Brings the analytics database up to the embedded schema: creates the database and <c>schema_migrations</c> if
/// missing, then applies, in order, each migration not yet recorded there. Safe to re-run, and safe after a crash
/// half-way: migrations use <c>IF NOT EXISTS</c>, because ClickHouse has no transactional DDL to roll back.
/// </summary>
public sealed class ClickHouseMigrator(ClickHouseHttp clickHouse)
{
    private const string Ledger = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version UInt32,
            name String,
            applied_at UInt64
        )
        ENGINE = MergeTree ORDER BY version
        """;

    /// <summary>Applies the embedded migrations not yet recorded; returns those it applied (empty when up to date).</summary>
    public Task<IReadOnlyList<ClickHouseMigration>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(ClickHouseMigrations.All, TimeProvider.System, cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> (in version order) not yet recorded, stamping them with <paramref name="time"/>.</summary>
    public async Task<IReadOnlyList<ClickHouseMigration>> MigrateAsync(IReadOnlyList<ClickHouseMigration> migrations, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(time);
        await clickHouse.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await clickHouse.ExecuteAsync(Ledger, cancellationToken).ConfigureAwait(false);
        var applied = await AppliedAsync(cancellationToken).ConfigureAwait(false);
        var done = new List<ClickHouseMigration>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }
            foreach (var statement in migration.Statements)
            {
                await clickHouse.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }
            var row = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["version"] = migration.Version,
                ["name"] = migration.Name,
                ["applied_at"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            });
            await clickHouse.InsertJsonEachRowAsync("schema_migrations", row, cancellationToken).ConfigureAwait(false);
            done.Add(migration);
        }
        return done;
    }

    /// <summary>The versions recorded in <c>schema_migrations</c>.</summary>
    public async Task<IReadOnlySet<uint>> AppliedAsync(CancellationToken cancellationToken = default)
    {
        // DISTINCT: two silos migrating at once may both record a version; the DDL itself is idempotent.
        var rows = await clickHouse.QueryJsonEachRowAsync("SELECT DISTINCT version FROM schema_migrations", cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.GetProperty("version").GetUInt32()).ToHashSet();
    }
}
