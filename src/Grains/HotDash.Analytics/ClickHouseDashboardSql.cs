using System.Globalization;
using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// The SQL the dashboard's queries share on ClickHouse (18.16 and current releases): per-observation expressions over the
/// <c>observations</c> columns and the trace list's filters on observations. Values only ever arrive quoted
/// (<see cref="ClickHouseSql.Quote"/>) or as numbers formatted here.
/// </summary>
internal static class ClickHouseDashboardSql
{
    /// <summary>An observation's level rank (<see cref="AnalyticsQueryRules.LevelRank"/>; anything else counts as DEFAULT).</summary>
    public const string LevelRank = "multiIf(upper(level) = 'ERROR', 3, upper(level) = 'WARNING', 2, upper(level) = 'DEBUG', 0, 1)";

    /// <summary>1 for an observation at level ERROR.</summary>
    public const string IsError = "toUInt8(upper(level) = 'ERROR')";

    /// <summary>An observation's total cost, 0 when unset (sums of it are never null).</summary>
    public const string Cost = "ifNull(total_cost, toDecimal64(0, 12))";

    /// <summary>An observation's tokens: usage <c>total</c>, else input plus output (<see cref="AnalyticsQueryRules.Tokens"/>).</summary>
    public static readonly string Tokens =
        $"if(has(usage_details_keys, '{UsageKeys.Total}'), usage_details_values[indexOf(usage_details_keys, '{UsageKeys.Total}')], {Usage(UsageKeys.Input)} + {Usage(UsageKeys.Output)})";

    /// <summary>One usage detail, 0 when absent.</summary>
    public static string Usage(string key) =>
        $"if(has(usage_details_keys, {ClickHouseSql.Quote(key)}), usage_details_values[indexOf(usage_details_keys, {ClickHouseSql.Quote(key)})], 0)";

    /// <summary>Case-insensitive substring test (UTF-8 aware), null strings never matching; no LIKE, so no wildcards to escape.</summary>
    public static string Contains(string column, string quotedText) => $"positionCaseInsensitiveUTF8(ifNull({column}, ''), {quotedText}) > 0";

    /// <summary>A decimal (already at 12 places) as a literal of the cost sums' type (ClickHouse compares no Decimal with a Float64).</summary>
    public static string Decimal(decimal value) =>
        $"CAST({ClickHouseSql.Quote(value.ToString(CultureInfo.InvariantCulture))} AS Decimal(38, 12))";

    /// <summary>A finite double literal, round-trippable.</summary>
    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Adds <see cref="TraceQuery"/>'s dashboard filters (ids 14-22) to the traces' WHERE clause.</summary>
    public static void AddTraceFilters(ClickHouseFilter where, TraceQuery query)
    {
        AnalyticsQueryRules.Validate(query);
        var live = new ClickHouseFilter(query.ProjectId).ToString();
        string WithObservation(string condition) => $"id IN (SELECT trace_id FROM observations FINAL WHERE {live} AND {condition})";
        if (query.Model is { } model)
        {
            var quoted = ClickHouseSql.Quote(model);
            where.Raw(WithObservation($"(provided_model_name = {quoted} OR model_group = {quoted})"));
        }
        if (query.TeamId is { } team)
        {
            where.Raw(WithObservation($"team_id = {ClickHouseSql.Quote(team)}"));
        }
        if (query.KeyAlias is { } alias)
        {
            where.Raw(WithObservation($"key_alias = {ClickHouseSql.Quote(alias)}"));
        }
        if (AnalyticsQueryRules.SearchText(query.Search) is { } search)
        {
            var text = ClickHouseSql.Quote(search);
            where.Raw($"({Contains("id", text)} OR {Contains("name", text)} OR {Contains("input", text)} OR {Contains("output", text)} OR "
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
            predicates.Add(ranks.Count == 0 ? "0" : $"level_rank IN ({string.Join(", ", ranks)})");
        }
        if (query.MinCost is { } minCost)
        {
            predicates.Add($"trace_cost >= {Decimal(AnalyticsQueryRules.MinCostBound(minCost))}");
        }
        if (query.MaxCost is { } maxCost)
        {
            predicates.Add($"trace_cost <= {Decimal(AnalyticsQueryRules.MaxCostBound(maxCost))}");
        }
        // Seconds as TraceSummary.LatencySeconds computes them (ms / 1000 in doubles), so the filter and the column agree.
        if (query.MinLatencySeconds is { } minLatency)
        {
            predicates.Add($"latency_ms / 1000 >= {Double(minLatency)}");
        }
        if (query.MaxLatencySeconds is { } maxLatency)
        {
            predicates.Add($"latency_ms / 1000 <= {Double(maxLatency)}");
        }
        var all = string.Join(" AND ", predicates);
        var totals = $"""
            SELECT trace_id, max({LevelRank}) AS level_rank, sum({Cost}) AS trace_cost,
                   max(ifNull(end_time, start_time)) - min(start_time) AS latency_ms
            FROM observations FINAL WHERE {live} GROUP BY trace_id
            """;
        // A trace without observations has no totals row; when its defaults (DEFAULT, 0, 0) pass, it must pass too.
        where.Raw(AnalyticsQueryRules.AggregateDefaultsMatch(query)
            ? $"id NOT IN (SELECT trace_id FROM ({totals}) WHERE NOT ({all}))"
            : $"id IN (SELECT trace_id FROM ({totals}) WHERE {all})");
    }
}
