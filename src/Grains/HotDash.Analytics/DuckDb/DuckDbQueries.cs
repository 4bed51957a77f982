using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using HotDash.Grains;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// The store's reads, per STORE-SEMANTICS (the same answers as the ClickHouse store). The caller runs each on one
/// connection inside one transaction, so a page and its total, or a trace and its observations, come from one snapshot.
/// The primary key keeps one row per identity, so no deduplication is needed here (ClickHouse's FINAL).
/// </summary>
internal static class DuckDbQueries
{
    public static List<TraceRecord> Traces(DuckDBConnection connection, IReadOnlyCollection<EntityKey> keys) =>
        ByKeys(connection, keys, "traces", DuckDbRows.TraceSelect(), r => DuckDbRows.ReadTrace(r), t => new EntityKey(t.ProjectId, t.Id));

    public static List<ObservationRecord> Observations(DuckDBConnection connection, IReadOnlyCollection<EntityKey> keys) =>
        ByKeys(connection, keys, "observations", DuckDbRows.ObservationSelect(), r => DuckDbRows.ReadObservation(r), o => new EntityKey(o.ProjectId, o.Id));

    public static List<ScoreRecord> Scores(DuckDBConnection connection, IReadOnlyCollection<EntityKey> keys) =>
        ByKeys(connection, keys, "scores", DuckDbRows.ScoreSelect(), r => DuckDbRows.ReadScore(r), s => new EntityKey(s.ProjectId, s.Id));

    public static TracePage QueryTraces(DuckDBConnection connection, TraceQuery query)
    {
        var page = Page(query.Page, query.Limit);
        var filter = Live(query.ProjectId)
            .Equal("user_id", query.UserId)
            .Equal("name", query.Name)
            .Equal("session_id", query.SessionId)
            .Equal("version", query.Version)
            .Equal("release", query.Release)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs)
            .HasAll("tags", query.Tags.IsDefault ? [] : query.Tags)
            .AnyOf("environment", query.Environments.IsDefault ? [] : query.Environments);
        DuckDbDashboardQueries.AddTraceFilters(filter, query);
        var total = Count(connection, filter, $"SELECT count(*) FROM traces WHERE {filter.Sql}");
        var direction = query.Ascending ? "ASC" : "DESC";
        var column = AnalyticsQueryRules.TraceOrderColumn(query.OrderBy);
        var traces = List(connection, filter,
            $"SELECT {DuckDbRows.TraceSelect()} FROM traces WHERE {filter.Sql} ORDER BY {column} {direction} NULLS LAST, id {direction} {page}",
            r => DuckDbRows.ReadTrace(r));
        return new TracePage([.. Summaries(connection, query.ProjectId, traces)], total);
    }

    public static TraceDetail? GetTrace(DuckDBConnection connection, string projectId, string traceId)
    {
        var trace = Traces(connection, [new EntityKey(projectId, traceId)]).SingleOrDefault();
        if (trace is null)
        {
            return null;
        }
        var observations = OfTrace(connection, projectId, traceId, "observations", DuckDbRows.ObservationSelect(), "start_time", r => DuckDbRows.ReadObservation(r));
        var scores = OfTrace(connection, projectId, traceId, "scores", DuckDbRows.ScoreSelect(), "timestamp", r => DuckDbRows.ReadScore(r));
        var summary = Summaries(connection, projectId, [trace]).Single();
        return new TraceDetail(summary, [.. observations], [.. scores]);
    }

    public static ObservationPage QueryObservations(DuckDBConnection connection, ObservationQuery query)
    {
        var page = Page(query.Page, query.Limit);
        var filter = Live(query.ProjectId)
            .Equal("name", query.Name)
            .Equal("type", query.Type)
            .Equal("trace_id", query.TraceId)
            .Equal("parent_observation_id", query.ParentObservationId)
            .Equal("level", query.Level)
            .Equal("version", query.Version)
            .Range("start_time", query.FromStartTimeMs, query.ToStartTimeMs)
            .AnyOf("environment", query.Environments.IsDefault ? [] : query.Environments);
        if (query.UserId is not null)
        {
            filter.Where($"trace_id IN (SELECT id FROM traces WHERE project_id = $1 AND NOT is_deleted AND user_id = {filter.Param(query.UserId)})");
        }
        var total = Count(connection, filter, $"SELECT count(*) FROM observations WHERE {filter.Sql}");
        var items = List(connection, filter,
            $"SELECT {DuckDbRows.ObservationSelect()} FROM observations WHERE {filter.Sql} ORDER BY start_time DESC, id DESC {page}",
            r => DuckDbRows.ReadObservation(r));
        return new ObservationPage([.. items], total);
    }

    public static ScorePage QueryScores(DuckDBConnection connection, ScoreQuery query)
    {
        var page = Page(query.Page, query.Limit);
        var filter = Live(query.ProjectId)
            .Equal("name", query.Name)
            .Equal("source", query.Source)
            .Equal("data_type", query.DataType)
            .Equal("config_id", query.ConfigId)
            .Equal("trace_id", query.TraceId)
            .Equal("observation_id", query.ObservationId)
            .Equal("session_id", query.SessionId)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs)
            .AnyOf("id", query.ScoreIds.IsDefault ? [] : query.ScoreIds)
            .AnyOf("environment", query.Environments.IsDefault ? [] : query.Environments);
        if (query.Value is { } value)
        {
            filter.Where($"value {AnalyticsQueryRules.ScoreOperator(query.Operator)} {filter.Param(value)}");
        }
        if (query.UserId is not null)
        {
            filter.Where($"trace_id IN (SELECT id FROM traces WHERE project_id = $1 AND NOT is_deleted AND user_id = {filter.Param(query.UserId)})");
        }
        if (!query.TraceTags.IsDefaultOrEmpty)
        {
            filter.Where($"trace_id IN (SELECT id FROM traces WHERE project_id = $1 AND NOT is_deleted AND list_has_all(tags, {filter.Param(query.TraceTags.ToList())}))");
        }
        var total = Count(connection, filter, $"SELECT count(*) FROM scores WHERE {filter.Sql}");
        var items = List(connection, filter,
            $"SELECT {DuckDbRows.ScoreSelect()} FROM scores WHERE {filter.Sql} ORDER BY timestamp DESC, id DESC {page}",
            r => DuckDbRows.ReadScore(r));
        return new ScorePage([.. items], total);
    }

    public static SessionPage QuerySessions(DuckDBConnection connection, SessionQuery query)
    {
        var page = Page(query.Page, query.Limit);
        var filter = new DuckDbFilter();
        // $1 is the project inside the sessions CTE; the outer filter works on the sessions' own columns.
        var sessions = $"""
            WITH sessions AS (
                SELECT session_id AS id, min(timestamp) AS created_at, first(environment ORDER BY timestamp, id) AS environment
                FROM traces WHERE project_id = {filter.Param(query.ProjectId)} AND NOT is_deleted AND session_id IS NOT NULL
                GROUP BY session_id)
            """;
        filter.Range("created_at", query.FromTimestampMs, query.ToTimestampMs)
            .AnyOf("environment", query.Environments.IsDefault ? [] : query.Environments);
        var total = Count(connection, filter, $"{sessions} SELECT count(*) FROM sessions WHERE {filter.Sql}");
        var items = List(connection, filter,
            $"{sessions} SELECT id, created_at, environment FROM sessions WHERE {filter.Sql} ORDER BY created_at DESC, id DESC {page}",
            r => new SessionSummary(r.GetString(0), query.ProjectId, r.GetInt64(1), r.GetString(2)));
        return new SessionPage([.. items], total);
    }

    public static SessionDetail? GetSession(DuckDBConnection connection, string projectId, string sessionId)
    {
        var filter = Live(projectId).Equal("session_id", sessionId);
        var traces = List(connection, filter,
            $"SELECT {DuckDbRows.TraceSelect()} FROM traces WHERE {filter.Sql} ORDER BY timestamp, id",
            r => DuckDbRows.ReadTrace(r));
        if (traces.Count == 0)
        {
            return null;
        }
        var first = traces[0];
        return new SessionDetail(new SessionSummary(sessionId, projectId, first.TimestampMs ?? 0, first.Environment ?? "default"), [.. traces]);
    }

    public static DailyMetricsPage QueryDailyMetrics(DuckDBConnection connection, DailyMetricsQuery query)
    {
        var page = Page(query.Page, query.Limit);
        var filter = Live(query.ProjectId)
            .Equal("name", query.TraceName)
            .Equal("user_id", query.UserId)
            .HasAll("tags", query.Tags.IsDefault ? [] : query.Tags)
            .AnyOf("environment", query.Environments.IsDefault ? [] : query.Environments)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs);
        var total = Count(connection, filter, $"SELECT count(DISTINCT day) FROM traces WHERE {filter.Sql}");
        var traces = $"WITH t AS (SELECT id, day FROM traces WHERE {filter.Sql})";
        var observations = "JOIN observations o ON o.project_id = $1 AND NOT o.is_deleted AND o.trace_id = t.id";
        var days = List(connection, filter, $"""
            {traces}
            SELECT d.day, d.count_traces, coalesce(x.count_observations, 0), coalesce(x.total_cost, 0)::DECIMAL(38,12)
            FROM (SELECT day, count(*) AS count_traces FROM t GROUP BY day) d
            LEFT JOIN (SELECT t.day, count(*) AS count_observations, sum(coalesce(o.total_cost, 0)) AS total_cost
                       FROM t {observations} GROUP BY t.day) x ON x.day = d.day
            ORDER BY d.day DESC {page}
            """,
            r => (Day: r.GetFieldValue<DateOnly>(0), Traces: r.GetInt64(1), Observations: r.GetInt64(2), Cost: DuckDbRows.Normalize(r.GetDecimal(3))));
        if (days.Count == 0)
        {
            return new DailyMetricsPage([], total);
        }
        // The page is a contiguous run of the matching days, so its first and last day bound exactly its days.
        var lastDay = filter.Param(days[0].Day);
        var firstDay = filter.Param(days[^1].Day);
        var input = Usage(UsageKeys.Input);
        var output = Usage(UsageKeys.Output);
        var usage = List(connection, filter, $"""
            {traces}
            SELECT t.day, o.provided_model_name,
                sum({input})::BIGINT, sum({output})::BIGINT,
                sum(coalesce(o.usage_details_values[list_position(o.usage_details_keys, '{UsageKeys.Total}')], {input} + {output}))::BIGINT,
                count(DISTINCT o.trace_id), count(*), sum(coalesce(o.total_cost, 0))::DECIMAL(38,12)
            FROM t {observations}
            WHERE o.provided_model_name IS NOT NULL AND t.day BETWEEN {firstDay} AND {lastDay}
            GROUP BY t.day, o.provided_model_name
            ORDER BY t.day, o.provided_model_name
            """,
            r => (Day: r.GetFieldValue<DateOnly>(0), Usage: new DailyModelUsage(r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4),
                r.GetInt64(5), r.GetInt64(6), DuckDbRows.Normalize(r.GetDecimal(7)))));
        var byDay = usage.ToLookup(u => u.Day, u => u.Usage);
        return new DailyMetricsPage(
            [.. days.Select(d => new DailyMetric(d.Day, d.Traces, d.Observations, d.Cost, [.. byDay[d.Day]]))],
            total);

        static string Usage(string key) => $"coalesce(o.usage_details_values[list_position(o.usage_details_keys, '{key}')], 0)";
    }

    /// <summary>Summaries of <paramref name="traces"/> in their order: observation and score ids, latency, total cost.</summary>
    private static List<TraceSummary> Summaries(DuckDBConnection connection, string projectId, List<TraceRecord> traces)
    {
        if (traces.Count == 0)
        {
            return [];
        }
        var ids = traces.Select(t => t.Id).ToList();
        var filter = Live(projectId);
        filter.Where($"list_contains({filter.Param(ids)}, trace_id)");
        var observations = List(connection, filter, $"""
            SELECT trace_id, list(id ORDER BY start_time, id), (max(coalesce(end_time, start_time)) - min(start_time))::BIGINT,
                sum(coalesce(total_cost, 0))::DECIMAL(38,12), max({DuckDbDashboardQueries.LevelRank})::BIGINT,
                sum({DuckDbDashboardQueries.Tokens})::BIGINT
            FROM observations WHERE {filter.Sql} GROUP BY trace_id
            """,
            r => (TraceId: r.GetString(0), Ids: r.GetFieldValue<List<string>>(1), LatencyMs: r.GetInt64(2), Cost: DuckDbRows.Normalize(r.GetDecimal(3)),
                Level: AnalyticsQueryRules.LevelName(r.GetInt64(4)), Tokens: r.GetInt64(5)))
            .ToDictionary(o => o.TraceId);
        var scores = List(connection, filter,
            $"SELECT trace_id, list(id ORDER BY timestamp, id) FROM scores WHERE {filter.Sql} GROUP BY trace_id",
            r => (TraceId: r.GetString(0), Ids: r.GetFieldValue<List<string>>(1)))
            .ToDictionary(s => s.TraceId, s => s.Ids);
        return traces.ConvertAll(t =>
        {
            var o = observations.GetValueOrDefault(t.Id);
            return new TraceSummary(
                t,
                o.Ids is null ? [] : [.. o.Ids],
                scores.TryGetValue(t.Id, out var scoreIds) ? [.. scoreIds] : [],
                o.Ids is null ? 0 : o.LatencyMs / 1000.0,
                o.Ids is null ? 0m : o.Cost)
            {
                Level = o.Ids is null ? AnalyticsQueryRules.LevelName(AnalyticsQueryRules.DefaultLevelRank) : o.Level,
                TotalTokens = o.Ids is null ? 0 : o.Tokens,
            };
        });
    }

    private static List<T> OfTrace<T>(DuckDBConnection connection, string projectId, string traceId, string table, string select, string timeColumn, Func<DbDataReader, T> read)
    {
        var filter = Live(projectId).Equal("trace_id", traceId);
        return List(connection, filter, $"SELECT {select} FROM {table} WHERE {filter.Sql} ORDER BY {timeColumn}, id", read);
    }

    private static List<T> ByKeys<T>(DuckDBConnection connection, IReadOnlyCollection<EntityKey> keys, string table, string select, Func<DbDataReader, T> read, Func<T, EntityKey> keyOf)
    {
        var found = new Dictionary<EntityKey, T>();
        foreach (var project in keys.GroupBy(k => k.ProjectId))
        {
            var filter = Live(project.Key);
            filter.Where($"list_contains({filter.Param(project.Select(k => k.Id).Distinct().ToList())}, id)");
            foreach (var row in List(connection, filter, $"SELECT {select} FROM {table} WHERE {filter.Sql}", read))
            {
                found[keyOf(row)] = row;
            }
        }
        // In the order asked for, each once; missing ones left out.
        var result = new List<T>(found.Count);
        foreach (var key in keys.Distinct())
        {
            if (found.TryGetValue(key, out var row))
            {
                result.Add(row);
            }
        }
        return result;
    }

    /// <summary>A filter on one project's live rows; the project is always <c>$1</c>.</summary>
    internal static DuckDbFilter Live(string projectId)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        var filter = new DuckDbFilter();
        return filter.Where($"project_id = {filter.Param(projectId)}").Where("NOT is_deleted");
    }

    internal static long Count(DuckDBConnection connection, DuckDbFilter filter, string sql)
    {
        using var command = filter.Command(connection, sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static List<T> List<T>(DuckDBConnection connection, DuckDbFilter filter, string sql, Func<DbDataReader, T> read)
    {
        using var command = filter.Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    // As the ClickHouse store pages: a page below 1 is the first, a limit below 1 returns no rows (the total still counts).
    internal static string Page(int page, int limit)
    {
        var (offset, size) = AnalyticsQueryRules.Page(page, limit);
        return FormattableString.Invariant($"LIMIT {size} OFFSET {offset}");
    }
}
