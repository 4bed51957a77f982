using System.Security.Cryptography;
using System.Text;

namespace HotDash.Registry.Tests;

/// <summary>
/// A <see cref="PostgresRegistryStore"/> on the test's own migrated database, with a clock the test sets, a logger
/// that keeps what the store reported, and ways to look at the tables behind it.
/// </summary>
public abstract class RegistryStoreTestBase(ITestOutputHelper output) : RegistryTestBase(output)
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected static readonly AuditActor Admin = new("admin@example.com", Hash("sk-master-key"));

    internal TestClock Clock { get; } = new(Start);

    internal RecordingLogger<PostgresRegistryStore> StoreLog { get; } = new();

    /// <summary>The store on a freshly migrated database; null when there is no test server (the test then returns).</summary>
    protected async Task<PostgresRegistryStore?> StoreAsync()
    {
        if (Database is null)
        {
            return null;
        }
        return NewStore(await MigratedAsync());
    }

    /// <summary>Another store (own pool) on the same database, as a second silo would have.</summary>
    protected PostgresRegistryStore NewStore(RegistryDatabase registry) =>
        new(registry, new SpendLedgerWriter(registry, Log<SpendLedgerWriter>()), Clock, StoreLog);

    protected static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A key whose hash is that of <c>sk-{name}</c>.</summary>
    protected static KeyDefinition Key(string name, string? team = null, string? user = null, string? alias = null) =>
        new(Hash("sk-" + name)) { KeyName = "sk-..." + name[^Math.Min(4, name.Length)..], TeamId = team, UserId = user, KeyAlias = alias };

    protected Task<long> CountAsync(string table) => Db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.{table}");

    /// <summary>Every row of the registry tables and of the audit log, as text: the same before and after means nothing was written.</summary>
    protected Task<string> StateAsync() => Db.ScalarAsync<string>("""
        SELECT concat_ws(E'\n#\n',
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.teams t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.users t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.team_memberships t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.keys t),
            (SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM hotdash.audit_log t),
            (SELECT count(*)::text FROM hotdash.audit_log))
        """);

    /// <summary>The audit log, oldest first: <c>action table_name object_id</c>.</summary>
    protected Task<List<string>> AuditAsync() => LinesAsync("SELECT action || ' ' || table_name || ' ' || object_id FROM hotdash.audit_log ORDER BY id");

    /// <summary>The first column of every row of <paramref name="sql"/>, as text.</summary>
    protected async Task<List<string>> LinesAsync(string sql)
    {
        await using var connection = await Db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.IsDBNull(0) ? "<null>" : reader.GetValue(0).ToString()!);
        }
        return lines;
    }
}
