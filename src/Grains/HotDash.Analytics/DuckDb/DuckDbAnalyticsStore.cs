using System.Collections.Concurrent;
using DuckDB.NET.Data;
using HotDash.Grains;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// The embedded analytics store: DuckDB in the silo's process, used when no ClickHouse is configured. Same tables and
/// same answers as the ClickHouse store (<see cref="DuckDbSchema"/>, <see cref="DuckDbQueries"/>).
/// </summary>
/// <remarks>
/// Thread-safe. Several grains call it at once: writes (and migrations, retention) take turns on one writer connection,
/// because DuckDB fails one of two concurrent transactions touching the same row; reads run in parallel, each on a
/// pooled connection duplicated from the same database (which also makes <c>:memory:</c> work: every connection
/// created with a connection string would get its own empty in-memory database). Each read runs in one transaction, so
/// a page and its total see one snapshot. The blocking native calls run on the thread pool, off the grain's turn.
/// </remarks>
/// <param name="dataSource">A database file (its directory is created when missing) or <c>:memory:</c>.</param>
/// <param name="time">Stamps <c>schema_migrations.applied_at</c>.</param>
public sealed class DuckDbAnalyticsStore(string dataSource, TimeProvider time) : IAnalyticsStore, IDisposable
{
    /// <summary>The in-memory data source: the data lives as long as the store.</summary>
    public const string InMemory = ":memory:";

    private readonly string dataSource = string.IsNullOrWhiteSpace(dataSource)
        ? throw new ArgumentException("a DuckDB file path or :memory: is required", nameof(dataSource))
        : dataSource;

    private readonly TimeProvider time = time ?? throw new ArgumentNullException(nameof(time));

    private readonly SemaphoreSlim writeGate = new(1, 1);

    private readonly ConcurrentBag<DuckDBConnection> idleReaders = [];

    private readonly Lock openLock = new();

    private DuckDBConnection? writer;

    private bool stagingReady;

    private volatile bool disposed;

    /// <inheritdoc/>
    public string Kind => "duckdb";

    /// <summary>The data source this store opened (a file path or <c>:memory:</c>).</summary>
    public string DataSource => dataSource;

    /// <inheritdoc/>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        WriteTurnAsync(connection =>
        {
            DuckDbWriter.Migrate(connection, DuckDbSchema.All, time);
            // A migration may change a table; the staging copies follow it on the next write.
            stagingReady = false;
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return command.ExecuteScalar();
        }, cancellationToken);

    /// <inheritdoc/>
    public Task WriteAsync(AnalyticsRows rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        return WriteTurnAsync(connection =>
        {
            if (!stagingReady)
            {
                DuckDbWriter.CreateStaging(connection);
                stagingReady = true;
            }
            DuckDbWriter.Write(connection, rows);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TraceRecord>> GetTracesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? [] : await ReadAsync(c => DuckDbQueries.Traces(c, keys), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ObservationRecord>> GetObservationsAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? [] : await ReadAsync(c => DuckDbQueries.Observations(c, keys), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScoreRecord>> GetScoresAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? [] : await ReadAsync(c => DuckDbQueries.Scores(c, keys), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbQueries.QueryTraces(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(traceId);
        return ReadAsync(c => DuckDbQueries.GetTrace(c, projectId, traceId), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ObservationPage> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbQueries.QueryObservations(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ScorePage> QueryScoresAsync(ScoreQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbQueries.QueryScores(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<SessionPage> QuerySessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbQueries.QuerySessions(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<SessionDetail?> GetSessionAsync(string projectId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(sessionId);
        return ReadAsync(c => DuckDbQueries.GetSession(c, projectId, sessionId), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DailyMetricsPage> QueryDailyMetricsAsync(DailyMetricsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbQueries.QueryDailyMetrics(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<UsageOverview> QueryUsageOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken = default)
    {
        AnalyticsQueryRules.Validate(query);
        return ReadAsync(c => DuckDbDashboardQueries.QueryUsageOverview(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TraceGroupPage> QueryTraceGroupsAsync(TraceGroupQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(c => DuckDbDashboardQueries.QueryTraceGroups(c, query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<int>> DropMonthsBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken = default) =>
        WriteTurnAsync(connection => DuckDbWriter.DropMonthsBefore(connection, cutoff), cancellationToken);

    /// <summary>
    /// Marks one row deleted, as a deletion from the store's own side would (the ingestion path never writes deleted rows;
    /// the contract tests use this to prove reads leave them out).
    /// </summary>
    internal Task MarkDeletedAsync(string table, EntityKey key, CancellationToken cancellationToken = default)
    {
        if (table is not ("traces" or "observations" or "scores"))
        {
            throw new ArgumentException($"no table '{table}'", nameof(table));
        }
        return WriteTurnAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE {table} SET is_deleted = true WHERE project_id = $1 AND id = $2";
            command.Parameters.Add(new DuckDBParameter(key.ProjectId));
            command.Parameters.Add(new DuckDBParameter(key.Id));
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>Closes every connection, and with them the database (an in-memory one is gone).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        // Wait for a write in progress: closing its connection under it would leave its transaction to chance.
        writeGate.Wait();
        try
        {
            while (idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }
            lock (openLock)
            {
                writer?.Dispose();
                writer = null;
            }
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<T> WriteTurnAsync<T>(Func<DuckDBConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return await Task.Run(() => work(Writer()), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private Task<T> ReadAsync<T>(Func<DuckDBConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Task.Run(() =>
        {
            var connection = RentReader();
            var healthy = false;
            try
            {
                using var transaction = connection.BeginTransaction();
                var result = work(connection);
                transaction.Commit();
                healthy = true;
                return result;
            }
            finally
            {
                // A connection whose read failed is not reused: whatever state the failure left stays with it.
                if (healthy && !disposed)
                {
                    idleReaders.Add(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }
        }, cancellationToken);
    }

    private DuckDBConnection RentReader()
    {
        if (idleReaders.TryTake(out var idle))
        {
            return idle;
        }
        lock (openLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            // In memory, a new connection from the connection string would be a new, empty database: duplicate the
            // writer's. A file database is shared by DuckDB.NET among the process's connections to that file.
            var reader = dataSource == InMemory ? Writer().Duplicate() : new DuckDBConnection(Writer().ConnectionString);
            try
            {
                reader.Open();
            }
            catch
            {
                reader.Dispose();
                throw;
            }
            return reader;
        }
    }

    // The first connection opens (or creates) the database; every other one is duplicated from it. Not cached on
    // failure, so a store whose file could not be opened tries again on the next call.
    private DuckDBConnection Writer()
    {
        lock (openLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (writer is not null)
            {
                return writer;
            }
            if (dataSource != InMemory)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }
            var builder = new DuckDBConnectionStringBuilder { DataSource = dataSource };
            var connection = new DuckDBConnection(builder.ConnectionString);
            try
            {
                connection.Open();
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            writer = connection;
            return connection;
        }
    }
}
