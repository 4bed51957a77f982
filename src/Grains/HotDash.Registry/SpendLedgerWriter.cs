using HotDash.Grains;
using System.Text.Json;
using HotDash.Registry.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace HotDash.Registry;

/// <summary>
/// Writes batches of <see cref="SpendRow"/>s to the ledger, idempotently, in one transaction: the rows go into
/// <c>spend_logs</c> with <c>ON CONFLICT (request_id) DO NOTHING</c>, then only the rows that were new are added to
/// <c>spend_daily</c> and to the <c>spend</c> / <c>model_spend</c> columns of their key, team, user and team
/// membership. A batch retried after a failure, or written by two silos at once, is counted once.
/// </summary>
/// <remarks>
/// No deadlocks between writers: every writer takes its row locks in one global order, table by table
/// (spend_logs, spend_daily, keys, teams, users, team_memberships) and within a table by primary key (byte order).
/// Later writers of the registry tables should keep to that order.
/// </remarks>
public sealed class SpendLedgerWriter(RegistryDatabase database, ILogger<SpendLedgerWriter> logger)
{
    private const decimal MaxSpend = 99_999_999m; // numeric(18,10)

    // Rows in request-id order (ord): the unique-index entries, and so the waits between writers, come in that order.
    private const string InsertLogs = """
        INSERT INTO spend_logs (request_id, call_type, api_key, team_id, user_id, end_user, model, model_group, model_id,
                                prompt_tokens, completion_tokens, spend, start_time, end_time, status, cache_hit, metadata)
        SELECT r.request_id, r.call_type, r.api_key, r.team_id, r.user_id, r.end_user, r.model, r.model_group, r.model_id,
               r.prompt_tokens, r.completion_tokens, r.spend, r.start_time, r.end_time, r.status, r.cache_hit, COALESCE(r.metadata, '{}')
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::bigint[], $11::bigint[], $12::numeric[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::boolean[],
                    $17::jsonb[])
             WITH ORDINALITY AS r(request_id, call_type, api_key, team_id, user_id, end_user, model, model_group, model_id,
                                  prompt_tokens, completion_tokens, spend, start_time, end_time, status, cache_hit, metadata, ord)
        ORDER BY r.ord
        ON CONFLICT (request_id) DO NOTHING
        RETURNING request_id
        """;

    // $1 in what follows: the request ids this transaction inserted. The rollups are computed from those rows.
    private const string UpsertDaily = """
        INSERT INTO spend_daily AS d (date, api_key, team_id, user_id, model, api_requests, successful_requests, failed_requests,
                                      prompt_tokens, completion_tokens, spend)
        SELECT g.* FROM (
            SELECT (l.start_time AT TIME ZONE 'UTC')::date AS date, l.api_key, COALESCE(l.team_id, '') AS team_id,
                   COALESCE(l.user_id, '') AS user_id, COALESCE(NULLIF(l.model_group, ''), l.model) AS model,
                   count(*) AS api_requests, count(*) FILTER (WHERE l.status = 'success') AS successful_requests,
                   count(*) FILTER (WHERE l.status <> 'success') AS failed_requests,
                   sum(l.prompt_tokens) AS prompt_tokens, sum(l.completion_tokens) AS completion_tokens, sum(l.spend) AS spend
            FROM spend_logs l
            WHERE l.request_id = ANY($1)
            GROUP BY 1, 2, 3, 4, 5
        ) g
        ORDER BY g.date, g.api_key COLLATE "C", g.team_id COLLATE "C", g.user_id COLLATE "C", g.model COLLATE "C"
        ON CONFLICT (date, api_key, team_id, user_id, model) DO UPDATE SET
            api_requests = d.api_requests + excluded.api_requests,
            successful_requests = d.successful_requests + excluded.successful_requests,
            failed_requests = d.failed_requests + excluded.failed_requests,
            prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = d.completion_tokens + excluded.completion_tokens,
            spend = d.spend + excluded.spend,
            updated_at = now()
        """;

    private const string LockMemberships = """
        SELECT 1 FROM team_memberships
        WHERE (team_id, user_id) IN (SELECT team_id, user_id FROM spend_logs WHERE request_id = ANY($1))
        ORDER BY team_id COLLATE "C", user_id COLLATE "C"
        FOR NO KEY UPDATE
        """;

    private const string UpdateMemberships = """
        UPDATE team_memberships m SET spend = m.spend + s.spend
        FROM (SELECT team_id, user_id, sum(spend) AS spend FROM spend_logs
              WHERE request_id = ANY($1) AND team_id IS NOT NULL AND user_id IS NOT NULL
              GROUP BY 1, 2) s
        WHERE m.team_id = s.team_id AND m.user_id = s.user_id
        """;

    private static readonly string[] Rollups =
    [
        UpsertDaily,
        LockOwners("keys", "token", "api_key"), UpdateOwners("keys", "token", "api_key"),
        LockOwners("teams", "team_id", "team_id"), UpdateOwners("teams", "team_id", "team_id"),
        LockOwners("users", "user_id", "user_id"), UpdateOwners("users", "user_id", "user_id"),
        LockMemberships, UpdateMemberships,
    ];

    /// <summary>
    /// Writes <paramref name="rows"/> (any order; a request id repeated in the batch is written once). Safe to retry
    /// after any failure: nothing of a failed batch is kept, and rows already written are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">A row is malformed (no request id, a key that is not a SHA-256 hex digest, negative numbers, metadata that is not a JSON object).</exception>
    public async Task<SpendWriteResult> WriteAsync(IEnumerable<SpendRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var unique = new Dictionary<string, SpendRow>(StringComparer.Ordinal);
        var total = 0;
        foreach (var row in rows)
        {
            Validate(row);
            total++;
            unique.TryAdd(row.RequestId, row);
        }
        if (unique.Count == 0)
        {
            return new SpendWriteResult(0, 0);
        }
        var sorted = unique.Values.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.RequestId, b.RequestId));

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await InsertAsync(connection, sorted, cancellationToken);
        if (inserted.Length > 0)
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var sql in Rollups)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter { Value = inserted, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);

        var result = new SpendWriteResult(inserted.Length, total - inserted.Length);
        RegistryLog.SpendBatchWritten(logger, total, result.Inserted, result.Duplicates);
        return result;
    }

    private static async Task<string[]> InsertAsync(NpgsqlConnection connection, SpendRow[] rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertLogs, connection);
        Add(command, rows.Select(r => r.RequestId), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.CallType), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.KeyHash), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.TeamId), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.UserId), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.EndUser), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.Model), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.ModelGroup), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.DeploymentId), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.PromptTokens), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.CompletionTokens), NpgsqlDbType.Bigint);
        Add(command, rows.Select(r => r.Spend), NpgsqlDbType.Numeric);
        Add(command, rows.Select(r => r.StartTime.UtcDateTime), NpgsqlDbType.TimestampTz);
        Add(command, rows.Select(r => r.EndTime.UtcDateTime), NpgsqlDbType.TimestampTz);
        Add(command, rows.Select(r => r.Success ? "success" : "failure"), NpgsqlDbType.Text);
        Add(command, rows.Select(r => r.CacheHit), NpgsqlDbType.Boolean);
        Add(command, rows.Select(r => r.Metadata), NpgsqlDbType.Jsonb);

        var inserted = new List<string>(rows.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetString(0));
        }
        return [.. inserted];
    }

    private static void Add<T>(NpgsqlCommand command, IEnumerable<T> values, NpgsqlDbType elementType) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | elementType });

    // Locks the owners' rows in key order before they are updated: UPDATE ... FROM takes its locks in plan order.
    private static string LockOwners(string table, string id, string logColumn) => $"""
        SELECT 1 FROM {table}
        WHERE {id} IN (SELECT {logColumn} FROM spend_logs WHERE request_id = ANY($1))
        ORDER BY {id} COLLATE "C"
        FOR NO KEY UPDATE
        """;

    // spend += the new rows' spend; model_spend[model] += the same, per public model name.
    private static string UpdateOwners(string table, string id, string logColumn) => $"""
        WITH per_model AS (
            SELECT l.{logColumn} AS id, COALESCE(NULLIF(l.model_group, ''), l.model) AS model, sum(l.spend) AS spend
            FROM spend_logs l
            WHERE l.request_id = ANY($1) AND l.{logColumn} IS NOT NULL AND l.{logColumn} <> ''
            GROUP BY 1, 2
        ), per_owner AS (
            SELECT id, sum(spend) AS spend, jsonb_object_agg(model, spend) AS models FROM per_model GROUP BY id
        )
        UPDATE {table} t
        SET spend = t.spend + o.spend,
            model_spend = t.model_spend || (
                SELECT jsonb_object_agg(m.key, COALESCE((t.model_spend ->> m.key)::numeric, 0) + m.value::numeric)
                FROM jsonb_each_text(o.models) m)
        FROM per_owner o
        WHERE t.{id} = o.id
        """;

    /// <summary>Throws <see cref="ArgumentException"/> for a row the ledger cannot take (the embedded registry applies it too).</summary>
    internal static void Validate(SpendRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string? problem = null;
        if (string.IsNullOrEmpty(row.RequestId))
        {
            problem = "has no request id";
        }
        else if (row.KeyHash is null || (row.KeyHash.Length != 0 && !RegistryChecks.IsTokenHash(row.KeyHash)))
        {
            problem = "has a key that is not a SHA-256 hex digest (hash the sk- key; never pass the key itself)";
        }
        else if (row.Model is null || row.ModelGroup is null || row.DeploymentId is null || row.CallType is null)
        {
            problem = "has a null model, model group, deployment id or call type (use \"\")";
        }
        else if (row.Spend is < 0 or > MaxSpend || row.PromptTokens < 0 || row.CompletionTokens < 0)
        {
            problem = "has a negative or out-of-range spend or token count";
        }
        else if (row.Metadata is not null && !IsJsonObject(row.Metadata))
        {
            problem = "has metadata that is not a JSON object";
        }
        if (problem is not null)
        {
            throw new ArgumentException($"spend row {row.RequestId} {problem}", nameof(row));
        }
    }


    private static bool IsJsonObject(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
