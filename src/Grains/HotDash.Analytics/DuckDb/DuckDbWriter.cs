using DuckDB.NET.Data;
using HotDash.Grains;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// The store's writes: migrations, row upserts and retention deletes. Every method runs on the one writer connection,
/// which the caller holds exclusively: DuckDB's optimistic concurrency would fail one of two transactions that touch
/// the same row, so writes take turns instead of retrying conflicts.
/// </summary>
internal static class DuckDbWriter
{
    /// <summary>Applies the migrations not yet recorded, each in its own transaction with its record; returns their versions.</summary>
    public static IReadOnlyList<int> Migrate(DuckDBConnection connection, IReadOnlyList<DuckDbMigration> migrations, TimeProvider time)
    {
        Execute(connection, DuckDbSchema.Ledger);
        var applied = new HashSet<int>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version FROM schema_migrations";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        var done = new List<int>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }
            using var transaction = connection.BeginTransaction();
            foreach (var statement in migration.Statements)
            {
                Execute(connection, statement);
            }
            using (var record = connection.CreateCommand())
            {
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
                record.Parameters.Add(new DuckDBParameter(migration.Version));
                record.Parameters.Add(new DuckDBParameter(migration.Name));
                record.Parameters.Add(new DuckDBParameter(time.GetUtcNow().ToUnixTimeMilliseconds()));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            done.Add(migration.Version);
        }
        return done;
    }

    /// <summary>
    /// Creates this connection's staging tables (temporary, so private to the connection): one per table, with the
    /// columns <see cref="DuckDbRows"/> writes, typed like the table's.
    /// </summary>
    public static void CreateStaging(DuckDBConnection connection)
    {
        foreach (var (table, columns) in Tables)
        {
            Execute(connection, $"CREATE OR REPLACE TEMP TABLE stage_{table} AS SELECT {string.Join(", ", columns)} FROM main.{table} LIMIT 0");
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in one transaction: per table with rows, one appender batch into its staging table
    /// and one <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE excluded.event_ts &gt;= event_ts</c>, so a replayed or older
    /// row never replaces a newer one. Duplicates within the batch are reduced to their newest copy first (one statement
    /// cannot update a row twice).
    /// </summary>
    /// <remarks>
    /// Rows that are all new (<see cref="AnalyticsRows.AllNew"/>) are inserted without the conflict clause, which costs
    /// DuckDB a lookup and more per row, growing with the table; if one exists after all (a batch written twice), the
    /// transaction is rolled back and the rows are upserted.
    /// </remarks>
    public static void Write(DuckDBConnection connection, AnalyticsRows rows)
    {
        var traces = Newest(rows.Traces, t => (t.ProjectId, t.Id), t => t.EventTsMs);
        var observations = Newest(rows.Observations, o => (o.ProjectId, o.Id), o => o.EventTsMs);
        var scores = Newest(rows.Scores, s => (s.ProjectId, s.Id), s => s.EventTsMs);
        if (rows.AllNew)
        {
            try
            {
                WriteAll(connection, traces, observations, scores, upsert: false);
                return;
            }
            catch (DuckDBException e) when (e.ErrorType == DuckDB.NET.Native.DuckDBErrorType.Constraint)
            {
                // The rollback left the staging tables as they were: empty them before the upsert fills them again.
                foreach (var (table, _) in Tables)
                {
                    Execute(connection, $"DELETE FROM temp.main.stage_{table}");
                }
            }
        }
        WriteAll(connection, traces, observations, scores, upsert: true);
    }

    private static void WriteAll(DuckDBConnection connection, List<TraceRecord> traces, List<ObservationRecord> observations, List<ScoreRecord> scores, bool upsert)
    {
        using var transaction = connection.BeginTransaction();
        Upsert(connection, "traces", DuckDbRows.TraceColumns, traces, DuckDbRows.Append, upsert);
        Upsert(connection, "observations", DuckDbRows.ObservationColumns, observations, DuckDbRows.Append, upsert);
        Upsert(connection, "scores", DuckDbRows.ScoreColumns, scores, DuckDbRows.Append, upsert);
        transaction.Commit();
    }

    /// <summary>
    /// Retention: deletes every row (all three tables) whose day is before the first day of <paramref name="cutoff"/>'s
    /// month, i.e. the months whose last day is before the cutoff; returns those months (<c>yyyyMM</c>, ascending, each once).
    /// </summary>
    public static IReadOnlyList<int> DropMonthsBefore(DuckDBConnection connection, DateOnly cutoff)
    {
        var firstKept = new DateOnly(cutoff.Year, cutoff.Month, 1);
        using var transaction = connection.BeginTransaction();
        var months = new List<int>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT DISTINCT (year(day) * 100 + month(day))::INTEGER AS month FROM (
                    SELECT day FROM traces WHERE day < $1
                    UNION ALL SELECT day FROM observations WHERE day < $1
                    UNION ALL SELECT day FROM scores WHERE day < $1)
                ORDER BY month
                """;
            command.Parameters.Add(new DuckDBParameter(firstKept));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                months.Add(reader.GetInt32(0));
            }
        }
        if (months.Count > 0)
        {
            foreach (var (table, _) in Tables)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"DELETE FROM {table} WHERE day < $1";
                command.Parameters.Add(new DuckDBParameter(firstKept));
                command.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        return months;
    }

    private static readonly (string Table, IReadOnlyList<string> Columns)[] Tables =
    [
        ("traces", DuckDbRows.TraceColumns),
        ("observations", DuckDbRows.ObservationColumns),
        ("scores", DuckDbRows.ScoreColumns),
    ];

    private static void Upsert<T>(DuckDBConnection connection, string table, IReadOnlyList<string> columns, List<T> rows, Action<DuckDBAppender, T> append, bool upsert)
    {
        if (rows.Count == 0)
        {
            return;
        }
        using (var appender = connection.CreateAppender("temp", "main", "stage_" + table))
        {
            foreach (var row in rows)
            {
                append(appender, row);
            }
        }
        var list = string.Join(", ", columns);
        if (!upsert)
        {
            Execute(connection, $"INSERT INTO {table} ({list}) SELECT {list} FROM temp.main.stage_{table}");
            Execute(connection, $"DELETE FROM temp.main.stage_{table}");
            return;
        }
        var updates = string.Join(", ", columns.Where(c => c is not ("project_id" or "id")).Select(c => $"{c} = excluded.{c}"));
        Execute(connection, $"""
            INSERT INTO {table} ({list}) SELECT {list} FROM temp.main.stage_{table}
            ON CONFLICT (project_id, id) DO UPDATE SET {updates}, is_deleted = false
            WHERE excluded.event_ts >= {table}.event_ts
            """);
        Execute(connection, $"DELETE FROM temp.main.stage_{table}");
    }

    // The newest copy per identity (the later one on equal event_ts, though equal copies are identical by contract).
    private static List<T> Newest<T>(IEnumerable<T> rows, Func<T, (string, string)> key, Func<T, long?> eventTs)
    {
        var newest = new Dictionary<(string, string), T>();
        foreach (var row in rows)
        {
            var k = key(row);
            if (!newest.TryGetValue(k, out var seen) || (eventTs(row) ?? long.MinValue) >= (eventTs(seen) ?? long.MinValue))
            {
                newest[k] = row;
            }
        }
        return [.. newest.Values];
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
