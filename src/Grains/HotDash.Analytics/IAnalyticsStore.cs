using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// Where traces, observations and scores are stored and queried: ClickHouse (<c>ClickHouseAnalyticsStore</c>) or the
/// embedded in-process DuckDB store (<c>DuckDbAnalyticsStore</c>). Both have the same schema and answer every query the
/// same way; one contract test suite runs against both.
/// </summary>
/// <remarks>
/// Writes are idempotent: writing a row whose (project, id) exists replaces it when its <c>EventTsMs</c> is newer or
/// equal, so a replayed batch leaves one row per entity. Reads return the newest row per entity and never deleted ones.
/// A store that cannot be reached throws (the writer grain keeps the batch and retries); nothing is swallowed.
/// </remarks>
public interface IAnalyticsStore
{
    /// <summary><c>clickhouse</c> or <c>duckdb</c>.</summary>
    string Kind { get; }

    /// <summary>Creates or upgrades the schema (idempotent; run at silo start).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the store answers (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes merged rows (one insert per table that has rows).</summary>
    Task WriteAsync(AnalyticsRows rows, CancellationToken cancellationToken = default);

    /// <summary>The stored traces among <paramref name="keys"/> (for merging updates); missing ones are left out.</summary>
    Task<IReadOnlyList<TraceRecord>> GetTracesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default);

    /// <summary>The stored observations among <paramref name="keys"/>.</summary>
    Task<IReadOnlyList<ObservationRecord>> GetObservationsAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default);

    /// <summary>The stored scores among <paramref name="keys"/>.</summary>
    Task<IReadOnlyList<ScoreRecord>> GetScoresAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default);

    /// <summary>A page of traces (see <see cref="TraceQuery"/>).</summary>
    Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken cancellationToken = default);

    /// <summary>One trace with its observations (by start time) and scores.</summary>
    Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken cancellationToken = default);

    /// <summary>A page of observations.</summary>
    Task<ObservationPage> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of scores.</summary>
    Task<ScorePage> QueryScoresAsync(ScoreQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of sessions.</summary>
    Task<SessionPage> QuerySessionsAsync(SessionQuery query, CancellationToken cancellationToken = default);

    /// <summary>One session with its traces.</summary>
    Task<SessionDetail?> GetSessionAsync(string projectId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>A page of daily metrics.</summary>
    Task<DailyMetricsPage> QueryDailyMetricsAsync(DailyMetricsQuery query, CancellationToken cancellationToken = default);

    /// <summary>The dashboard's usage overview (see <see cref="UsageOverviewQuery"/>).</summary>
    Task<UsageOverview> QueryUsageOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken = default);

    /// <summary>A page of sessions or users with their totals (see <see cref="TraceGroupQuery"/>).</summary>
    Task<TraceGroupPage> QueryTraceGroupsAsync(TraceGroupQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retention: drops every row whose day (trace timestamp, observation start, score timestamp) is in a month wholly
    /// before <paramref name="cutoff"/> (ClickHouse: <c>ALTER TABLE ... DROP PARTITION</c> per monthly partition). Returns the
    /// partitions (months, <c>yyyyMM</c>) dropped.
    /// </summary>
    Task<IReadOnlyList<int>> DropMonthsBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken = default);
}
