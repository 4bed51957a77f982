using HotDash.Grains;
using Npgsql;
using NpgsqlTypes;

namespace HotDash.Registry;

/// <summary>
/// One registry write in progress: its connection (inside the open transaction), its clock reading and who makes it.
/// Every command made here carries <c>@now</c>, <c>@changed_by</c> and <c>@changed_by_api_key</c> for its audit rows.
/// </summary>
internal sealed class RegistryWrite(NpgsqlConnection connection, AuditActor actor, DateTimeOffset now, CancellationToken cancellationToken)
{
    /// <summary>The head of every audit insert: a <c>SELECT</c> of (action, table_name, object_id, before_value, updated_values) follows, after the three audit parameters.</summary>
    public const string AuditInsert = """
        INSERT INTO audit_log (updated_at, changed_by, changed_by_api_key, action, table_name, object_id, before_value, updated_values)
        SELECT @now, @changed_by, @changed_by_api_key,
        """;

    public DateTimeOffset Now => now;

    public AuditActor Actor => actor;

    public CancellationToken CancellationToken => cancellationToken;

    public NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        RegistryParameters.AddTime(command, "now", now);
        RegistryParameters.AddText(command, "changed_by", actor.ChangedBy ?? "");
        RegistryParameters.AddText(command, "changed_by_api_key", actor.ChangedByApiKey ?? "");
        return command;
    }

    public async Task<int> ExecuteAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True when <paramref name="sql"/> (a <c>SELECT 1 ...</c> over <c>@v</c>, and <c>@v2</c> when given) returns a row.</summary>
    public async Task<bool> ExistsAsync(string sql, string v, string? v2 = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        RegistryParameters.AddText(command, "v", v);
        if (v2 is not null)
        {
            RegistryParameters.AddText(command, "v2", v2);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The first column of every row, as text (null for SQL null).</summary>
    public async Task<List<string?>> TextsAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            var values = new List<string?>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
            }
            return values;
        }
    }

    /// <summary>Locks the row <paramref name="lockSql"/> selects (its first column: the row as jsonb text) and returns it with its <c>blocked</c> flag when it has one (second column); null when there is no such row.</summary>
    public async Task<(string Json, bool Blocked)?> LockRowAsync(string lockSql, string id)
    {
        await using var command = new NpgsqlCommand(lockSql, connection);
        RegistryParameters.Add(command, "id", id, NpgsqlDbType.Text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return (reader.GetString(0), reader.FieldCount > 1 && reader.GetBoolean(1));
    }
}
