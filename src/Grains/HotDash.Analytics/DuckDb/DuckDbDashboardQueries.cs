using System.Collections;
using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using HotDash.Grains;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// The dashboard's reads on the embedded store, with the ClickHouse store's answers (<c>ClickHouseDashboardSql</c> and
/// the ClickHouse store's overview and group queries): the trace list's observation filters, the usage overview and the
/// session and user totals. Every value is a <c>$n</c> parameter; only numbers this code computes are inlined.
/// </summary>
internal static class DuckDbDashboardQueries
{
    /// <summary>An observation's level rank (<see cref="AnalyticsQueryRules.LevelRank"/>; anything else counts as DEFAULT).</summary>
    public const string LevelRank = "CASE upper(level) WHEN 'ERROR' THEN 3 WHEN 'WARNING' THEN 2 WHEN 'DEBUG' THEN 0 ELSE 1 END";

    /// <summary>An observation's tokens: usage <c>total</c>, else input plus output.</summary>
    public static readonly string Tokens =
        $"coalesce(usage_details_values[list_position(usage_details_keys, '{UsageKeys.Total}')], {Usage(UsageKeys.Input)} + {Usage(UsageKeys.Output)})";

    /// <summary>One usage detail, 0 when absent (keys are the fixed <see cref="UsageKeys"/> names, never user text).</summary>
    private static string Usage(string key) => $"coalesce(usage_details_values[list_position(usage_details_keys, '{key}')], 0)";

    /// <summary>Case-insensitive substring test, null strings never matching; <c>contains</c> has no wildcards to escape.</summary>
    private static string Contains(string column, string parameter) => $"contains(lower(coalesce({column}, '')), lower({parameter}))";

    /// <summary>Adds <see cref="TraceQuery"/>'s dashboard filters (ids 14-22) to a traces filter whose <c>$1</c> is the project.</summary>
    public static void AddTraceFilters(DuckDbFilter filter, TraceQuery query)
    {
        AnalyticsQueryRules.Validate(query);
        static string WithObservation(string condition) => $"id IN (SELECT trace_id FROM observations WHERE project_id = $1 AND NOT is_deleted AND {condition})";
        if (query.Model is { } model)
        {
            var m = filter.Param(model);
            filter.Where(WithObservation($"(provided_model_name = {m} OR model_group = {m})"));
        }
        if (query.TeamId is { } team)
        {
            filter.Where(WithObservation($"team_id = {filter.Param(team)}"));
        }
        if (query.KeyAlias is { } alias)
        {
            filter.Where(WithObservation($"key_alias = {filter.Param(alias)}"));
        }
        if (AnalyticsQueryRules.SearchText(query.Search) is { } search)
        {
            var text = filter.Param(search);
            filter.Where($"({Contains("id", text)} OR {Contains("name", text)} OR {Contains("input", text)} OR {Contains("output", text)} OR "
                + WithObservation($"({Contains("input", text)} OR {Contains("output", text)})") + ")");
        }
        if (!AnalyticsQueryRules.HasAggregateFilter(query))
        {
            return;
        }
        var predicates = new List<string>();
        if (!query.Levels.IsDefaultOrEmpty)
        {
            var ranks = AnalyticsQueryRules.LevelRanks(query.Levels);
            predicates.Add(ranks.Count == 0 ? "false" : $"level_rank IN ({string.Join(", ", ranks)})");
        }
        if (query.MinCost is { } minCost)
        {
            predicates.Add($"trace_cost >= {filter.Param(AnalyticsQueryRules.MinCostBound(minCost))}::DECIMAL(38,12)");
        }
        if (query.MaxCost is { } maxCost)
        {
            predicates.Add($"trace_cost <= {filter.Param(AnalyticsQueryRules.MaxCostBound(maxCost))}::DECIMAL(38,12)");
        }
        // Seconds as TraceSummary.LatencySeconds computes them (ms / 1000 in doubles), so the filter and the column agree.
        if (query.MinLatencySeconds is { } minLatency)
        {
            predicates.Add($"CAST(latency_ms AS DOUBLE) / 1000 >= {filter.Param(minLatency)}");
        }
        if (query.MaxLatencySeconds is { } maxLatency)
        {
            predicates.Add($"CAST(latency_ms AS DOUBLE) / 1000 <= {filter.Param(maxLatency)}");
        }
        var all = string.Join(" AND ", predicates);
        var totals = $"""
            SELECT trace_id, max({LevelRank}) AS level_rank, sum(coalesce(total_cost, 0)) AS trace_cost,
                   max(coalesce(end_time, start_time)) - min(start_time) AS latency_ms
            FROM observations WHERE project_id = $1 AND NOT is_deleted GROUP BY trace_id
            """;
        // A trace without observations has no totals row; when its defaults (DEFAULT, 0, 0) pass, it must pass too.
        filter.Where(AnalyticsQueryRules.AggregateDefaultsMatch(query)
            ? $"id NOT IN (SELECT trace_id FROM ({totals}) WHERE NOT ({all}))"
            : $"id IN (SELECT trace_id FROM ({totals}) WHERE {all})");
    }

    /// <summary>The usage overview; percentiles are exact (<c>quantile_cont</c>, linear interpolation).</summary>
    public static UsageOverview QueryUsageOverview(DuckDBConnection connection, UsageOverviewQuery query)
    {
        AnalyticsQueryRules.Validate(query);
        var top = AnalyticsQueryRules.Top(query.Top);
        var (firstDay, lastDay) = AnalyticsQueryRules.Days(query.FromMs, query.ToMs);
        var filter = new DuckDbFilter();
        var generations = $"""
            WITH g AS (
                SELECT trace_id, start_time, end_user,
                       {Usage(UsageKeys.Input)} AS input_tokens, {Usage(UsageKeys.Output)} AS output_tokens,
                       coalesce(total_cost, 0) AS cost, upper(level) = 'ERROR' AS is_error, cache_hit,
                       end_time - start_time AS latency_ms,
                       coalesce(model_group, provided_model_name, '') AS model_name, coalesce(team_id, '') AS team_name,
                       coalesce(key_alias, '') AS key_name, coalesce(deployment, '') AS deployment_name
                FROM observations
                WHERE project_id = {filter.Param(query.ProjectId)} AND NOT is_deleted AND type = 'GENERATION'
                  AND day BETWEEN {filter.Param(firstDay)} AND {filter.Param(lastDay)}
                  AND start_time >= {filter.Param(query.FromMs)} AND start_time < {filter.Param(query.ToMs)})
            """;
        // Columns 0-6 of every overview row, after any leading key columns.
        const string Aggregates = """
            count(*), count(*) FILTER (WHERE g.is_error), coalesce(sum(g.input_tokens), 0)::BIGINT, coalesce(sum(g.output_tokens), 0)::BIGINT,
            coalesce(sum(g.cost), 0)::DECIMAL(38,12), count(*) FILTER (WHERE g.cache_hit), quantile_cont(g.latency_ms, [0.5, 0.95, 0.99])
            """;
        var totals = DuckDbQueries.List(connection, filter, $"{generations} SELECT {Aggregates} FROM g", r => Totals(r, 0)).Single();
        if (totals.Requests == 0)
        {
            return new UsageOverview(UsageSeries.Empty, [], [], [], []);
        }
        var bucket = query.BucketMs.ToString(CultureInfo.InvariantCulture);
        // Start times are never negative here (the query's range starts at or after the epoch), so // is the floor.
        var buckets = DuckDbQueries.List(connection, filter,
            $"{generations} SELECT (g.start_time // {bucket}) * {bucket} AS bucket_start, {Aggregates} FROM g GROUP BY bucket_start ORDER BY bucket_start",
            r => new UsageBucket(r.GetInt64(0), Totals(r, 1)));
        var limit = top.ToString(CultureInfo.InvariantCulture);
        List<UsageGroup> Groups(string name, string from, bool keepEmpty, string order)
        {
            if (top == 0)
            {
                return [];
            }
            var where = keepEmpty ? "" : $"WHERE {name} <> ''";
            return DuckDbQueries.List(connection, filter,
                $"{generations} SELECT {name} AS group_name, {Aggregates} FROM {from} {where} GROUP BY group_name ORDER BY {order} DESC, group_name ASC LIMIT {limit}",
                r => new UsageGroup(r.GetString(0), Totals(r, 1)));
        }
        // Most requests first is count(*) (column 2 with the name first); highest cost first is the cost sum (column 6).
        const string ByRequests = "2";
        const string ByCost = "6";
        var byModel = Groups("g.model_name", "g", keepEmpty: true, ByRequests);
        var byTeam = Groups("g.team_name", "g", keepEmpty: true, ByRequests);
        var topKeys = Groups("g.key_name", "g", keepEmpty: false, ByCost);
        var byDeployment = Groups("g.deployment_name", "g", keepEmpty: false, ByRequests);
        // The trace's user id, else the request's end user.
        var topUsers = Groups("coalesce(t.user_id, g.end_user, '')", "g LEFT JOIN traces t ON t.project_id = $1 AND NOT t.is_deleted AND t.id = g.trace_id", keepEmpty: false, ByCost);
        return new UsageOverview(new UsageSeries(totals, [.. buckets]), [.. byModel], [.. byTeam], [.. topUsers], [.. topKeys])
        {
            ByDeployment = [.. byDeployment],
        };
    }

    /// <summary>A page of sessions or users with totals over their traces and those traces' observations.</summary>
    public static TraceGroupPage QueryTraceGroups(DuckDBConnection connection, TraceGroupQuery query)
    {
        var column = query.By switch
        {
            TraceGroupKind.Session => "session_id",
            TraceGroupKind.User => "user_id",
            _ => throw new ArgumentException($"traces cannot be grouped by {query.By}", nameof(query)),
        };
        var filter = DuckDbQueries.Live(query.ProjectId)
            .Where($"{column} IS NOT NULL")
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs);
        if (AnalyticsQueryRules.SearchText(query.Search) is { } search)
        {
            filter.Where(Contains(column, filter.Param(search)));
        }
        var total = DuckDbQueries.Count(connection, filter, $"SELECT count(DISTINCT {column}) FROM traces WHERE {filter.Sql}");
        var items = DuckDbQueries.List(connection, filter, $"""
            WITH t AS (SELECT id, {column} AS group_id, timestamp FROM traces WHERE {filter.Sql}),
            o AS (
                SELECT trace_id, count(*) AS n, sum(coalesce(total_cost, 0)) AS cost, sum({Tokens}) AS tokens,
                       count(*) FILTER (WHERE upper(level) = 'ERROR') AS errors
                FROM observations WHERE project_id = $1 AND NOT is_deleted AND trace_id IN (SELECT id FROM t)
                GROUP BY trace_id)
            SELECT t.group_id, count(*), coalesce(sum(o.n), 0)::BIGINT, coalesce(sum(o.cost), 0)::DECIMAL(38,12),
                   coalesce(sum(o.tokens), 0)::BIGINT, min(t.timestamp), max(t.timestamp), coalesce(sum(o.errors), 0)::BIGINT
            FROM t LEFT JOIN o ON o.trace_id = t.id
            GROUP BY t.group_id
            ORDER BY max(t.timestamp) DESC, t.group_id DESC {DuckDbQueries.Page(query.Page, query.Limit)}
            """,
            r => new TraceGroupTotals(r.GetString(0), r.GetInt64(1), r.GetInt64(2), DuckDbRows.Normalize(r.GetDecimal(3)), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)));
        return new TraceGroupPage([.. items], total);
    }

    private static UsageTotals Totals(DbDataReader r, int at)
    {
        var requests = r.GetInt64(at);
        if (requests == 0)
        {
            return UsageTotals.Empty;
        }
        // Null when none of the requests has an end time.
        var quantiles = r.IsDBNull(at + 6) ? null : (IList)r.GetValue(at + 6);
        double Quantile(int i) => quantiles is not null && quantiles.Count > i && quantiles[i] is { } q ? Convert.ToDouble(q, CultureInfo.InvariantCulture) : 0;
        return new UsageTotals(
            requests,
            r.GetInt64(at + 1),
            r.GetInt64(at + 2),
            r.GetInt64(at + 3),
            DuckDbRows.Normalize(r.GetDecimal(at + 4)),
            r.GetInt64(at + 5),
            Quantile(0),
            Quantile(1),
            Quantile(2));
    }
}
