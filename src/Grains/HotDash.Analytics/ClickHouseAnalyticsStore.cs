using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// The analytics store on ClickHouse, over its HTTP interface (JSONEachRow), in SQL that ClickHouse 18.16 and current
/// releases both run. Rows live in <c>ReplacingMergeTree(event_ts)</c> tables keyed (project_id, day, id); every read
/// uses <c>FINAL</c>, so a re-written row is seen (and counted) once, newest version only. Each write is one INSERT per
/// table; a page of traces costs four queries (rows and count, then its observations' and scores' summaries).
/// </summary>
/// <param name="http">The client, bound to the analytics database.</param>
/// <param name="time">Stamps applied migrations.</param>
public sealed class ClickHouseAnalyticsStore(ClickHouseHttp http, TimeProvider time) : IAnalyticsStore
{
    // Keeps an id list well inside max_query_size (256 KiB by default).
    private const int KeysPerQuery = 1000;

    private static readonly string[] Tables = ["traces", "observations", "scores"];

    /// <inheritdoc />
    public string Kind => "clickhouse";

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await http.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await new ClickHouseMigrator(http).MigrateAsync(ClickHouseMigrations.All, time, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        http.QueryJsonEachRowAsync("SELECT 1 AS ok", cancellationToken);

    /// <inheritdoc />
    public Task WriteAsync(AnalyticsRows rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // Every body is built before anything is sent, so a malformed row refuses the whole batch unwritten.
        var inserts = new List<(string Table, ReadOnlyMemory<byte> Body)>(3);
        if (!rows.Traces.IsDefaultOrEmpty)
        {
            inserts.Add(("traces", ClickHouseRowWriter.Traces(rows.Traces)));
        }
        if (!rows.Observations.IsDefaultOrEmpty)
        {
            inserts.Add(("observations", ClickHouseRowWriter.Observations(rows.Observations)));
        }
        if (!rows.Scores.IsDefaultOrEmpty)
        {
            inserts.Add(("scores", ClickHouseRowWriter.Scores(rows.Scores)));
        }
        return Task.WhenAll(inserts.Select(i => http.InsertJsonEachRowAsync(i.Table, i.Body, cancellationToken)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TraceRecord>> GetTracesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) =>
        ByKeysAsync("traces", ClickHouseRowReader.TraceColumns, keys, ClickHouseRowReader.Trace, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ObservationRecord>> GetObservationsAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) =>
        ByKeysAsync("observations", ClickHouseRowReader.ObservationColumns, keys, ClickHouseRowReader.Observation, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoreRecord>> GetScoresAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) =>
        ByKeysAsync("scores", ClickHouseRowReader.ScoreColumns, keys, ClickHouseRowReader.Score, cancellationToken);

    /// <inheritdoc />
    public async Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new ClickHouseFilter(query.ProjectId)
            .Equal("user_id", query.UserId)
            .Equal("name", query.Name)
            .Equal("session_id", query.SessionId)
            .Equal("version", query.Version)
            .Equal("release", query.Release)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs)
            .HasAll("tags", query.Tags)
            .In("environment", query.Environments);
        ClickHouseDashboardSql.AddTraceFilters(filter, query);
        var where = filter.ToString();
        var column = AnalyticsQueryRules.TraceOrderColumn(query.OrderBy);
        var direction = query.Ascending ? "ASC" : "DESC";
        var rows = QueryAsync(
            $"SELECT {ClickHouseRowReader.TraceColumns} FROM traces FINAL WHERE {where} ORDER BY {column} {direction}, id {direction} {Limit(query.Page, query.Limit)}",
            ClickHouseRowReader.Trace, cancellationToken);
        var total = CountAsync($"SELECT count() AS n FROM traces FINAL WHERE {where}", cancellationToken);
        var traces = await rows.ConfigureAwait(false);
        var summaries = await SummariesAsync(query.ProjectId, traces, cancellationToken).ConfigureAwait(false);
        return new TracePage(summaries, await total.ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(traceId);
        var id = ClickHouseSql.Quote(traceId);
        var trace = QueryAsync(
            $"SELECT {ClickHouseRowReader.TraceColumns} FROM traces FINAL WHERE {new ClickHouseFilter(projectId)} AND id = {id}",
            ClickHouseRowReader.Trace, cancellationToken);
        var observations = QueryAsync(
            $"SELECT {ClickHouseRowReader.ObservationColumns} FROM observations FINAL WHERE {new ClickHouseFilter(projectId)} AND trace_id = {id} ORDER BY start_time, id",
            ClickHouseRowReader.Observation, cancellationToken);
        var scores = QueryAsync(
            $"SELECT {ClickHouseRowReader.ScoreColumns} FROM scores FINAL WHERE {new ClickHouseFilter(projectId)} AND trace_id = {id} ORDER BY timestamp, id",
            ClickHouseRowReader.Score, cancellationToken);
        await Task.WhenAll(trace, observations, scores).ConfigureAwait(false);
        if (trace.Result.Count == 0)
        {
            return null;
        }
        var observationRows = observations.Result;
        var latency = 0.0;
        if (observationRows.Count > 0)
        {
            var first = observationRows.Min(o => o.StartTimeMs!.Value);
            var last = observationRows.Max(o => o.EndTimeMs ?? o.StartTimeMs!.Value);
            latency = (last - first) / 1000.0;
        }
        var summary = new TraceSummary(
            trace.Result[0],
            [.. observationRows.Select(o => o.Id)],
            [.. scores.Result.Select(s => s.Id)],
            latency,
            observationRows.Sum(o => o.TotalCost ?? 0m))
        {
            Level = AnalyticsQueryRules.WorstLevel(observationRows.Select(o => o.Level)),
            TotalTokens = observationRows.Sum(o => AnalyticsQueryRules.Tokens(o.UsageDetails)),
        };
        return new TraceDetail(summary, [.. observationRows], [.. scores.Result]);
    }

    /// <inheritdoc />
    public async Task<ObservationPage> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new ClickHouseFilter(query.ProjectId)
            .Equal("name", query.Name)
            .Equal("type", query.Type)
            .Equal("trace_id", query.TraceId)
            .Equal("parent_observation_id", query.ParentObservationId)
            .Equal("level", query.Level)
            .Equal("version", query.Version)
            .Range("start_time", query.FromStartTimeMs, query.ToStartTimeMs)
            .In("environment", query.Environments);
        if (query.UserId is not null)
        {
            where.Raw($"trace_id IN ({TraceIds(new ClickHouseFilter(query.ProjectId).Equal("user_id", query.UserId))})");
        }
        var rows = QueryAsync(
            $"SELECT {ClickHouseRowReader.ObservationColumns} FROM observations FINAL WHERE {where} ORDER BY start_time DESC, id DESC {Limit(query.Page, query.Limit)}",
            ClickHouseRowReader.Observation, cancellationToken);
        var total = CountAsync($"SELECT count() AS n FROM observations FINAL WHERE {where}", cancellationToken);
        await Task.WhenAll(rows, total).ConfigureAwait(false);
        return new ObservationPage([.. rows.Result], total.Result);
    }

    /// <inheritdoc />
    public async Task<ScorePage> QueryScoresAsync(ScoreQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new ClickHouseFilter(query.ProjectId)
            .Equal("name", query.Name)
            .Equal("source", query.Source)
            .Equal("data_type", query.DataType)
            .Equal("config_id", query.ConfigId)
            .Equal("trace_id", query.TraceId)
            .Equal("observation_id", query.ObservationId)
            .Equal("session_id", query.SessionId)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs)
            .In("id", query.ScoreIds)
            .In("environment", query.Environments);
        if (query.Value is { } value)
        {
            // Compared with the exact double: the literal is built from its bits, as the column is.
            where.Raw($"value {AnalyticsQueryRules.ScoreOperator(query.Operator)} reinterpretAsFloat64(reinterpretAsString(toUInt64({ClickHouseRowWriter.ValueBits(value).ToString(CultureInfo.InvariantCulture)})))");
        }
        if (query.UserId is not null || !query.TraceTags.IsDefaultOrEmpty)
        {
            var traces = new ClickHouseFilter(query.ProjectId).Equal("user_id", query.UserId).HasAll("tags", query.TraceTags);
            where.Raw($"trace_id IN ({TraceIds(traces)})");
        }
        var rows = QueryAsync(
            $"SELECT {ClickHouseRowReader.ScoreColumns} FROM scores FINAL WHERE {where} ORDER BY timestamp DESC, id DESC {Limit(query.Page, query.Limit)}",
            ClickHouseRowReader.Score, cancellationToken);
        var total = CountAsync($"SELECT count() AS n FROM scores FINAL WHERE {where}", cancellationToken);
        await Task.WhenAll(rows, total).ConfigureAwait(false);
        return new ScorePage([.. rows.Result], total.Result);
    }

    /// <inheritdoc />
    public async Task<SessionPage> QuerySessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        // One row per session: its first trace's time and (ties by trace id) environment, then filtered on those.
        var sessions = $"""
            SELECT assumeNotNull(session_id) AS session_key, min(timestamp) AS first_timestamp, argMin(environment, (timestamp, id)) AS first_environment
            FROM traces FINAL WHERE {new ClickHouseFilter(query.ProjectId)} AND isNotNull(session_id)
            GROUP BY session_key
            """;
        var conditions = new List<string> { "1 = 1" };
        if (query.FromTimestampMs is { } from)
        {
            conditions.Add($"first_timestamp >= {ClickHouseFilter.Number(from)}");
        }
        if (query.ToTimestampMs is { } to)
        {
            conditions.Add($"first_timestamp < {ClickHouseFilter.Number(to)}");
        }
        if (!query.Environments.IsDefaultOrEmpty)
        {
            conditions.Add($"first_environment IN {ClickHouseFilter.List(query.Environments)}");
        }
        var where = string.Join(" AND ", conditions);
        var rows = QueryAsync(
            $"SELECT session_key, first_timestamp, first_environment FROM ({sessions}) WHERE {where} ORDER BY first_timestamp DESC, session_key DESC {Limit(query.Page, query.Limit)}",
            row => new SessionSummary(
                row.GetProperty("session_key").GetString()!,
                query.ProjectId,
                row.GetProperty("first_timestamp").GetInt64(),
                row.GetProperty("first_environment").GetString()!),
            cancellationToken);
        var total = CountAsync($"SELECT count() AS n FROM ({sessions}) WHERE {where}", cancellationToken);
        await Task.WhenAll(rows, total).ConfigureAwait(false);
        return new SessionPage([.. rows.Result], total.Result);
    }

    /// <inheritdoc />
    public async Task<SessionDetail?> GetSessionAsync(string projectId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(sessionId);
        var where = new ClickHouseFilter(projectId).Equal("session_id", sessionId);
        var traces = await QueryAsync(
            $"SELECT {ClickHouseRowReader.TraceColumns} FROM traces FINAL WHERE {where} ORDER BY timestamp, id",
            ClickHouseRowReader.Trace, cancellationToken).ConfigureAwait(false);
        if (traces.Count == 0)
        {
            return null;
        }
        // Oldest first (ties by id): the first trace is the one the session's time and environment come from.
        var first = traces[0];
        return new SessionDetail(new SessionSummary(sessionId, projectId, first.TimestampMs!.Value, first.Environment!), [.. traces]);
    }

    /// <inheritdoc />
    public async Task<DailyMetricsPage> QueryDailyMetricsAsync(DailyMetricsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new ClickHouseFilter(query.ProjectId)
            .Equal("name", query.TraceName)
            .Equal("user_id", query.UserId)
            .HasAll("tags", query.Tags)
            .In("environment", query.Environments)
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs)
            .ToString();
        var days = QueryAsync(
            $"SELECT day, count() AS traces FROM traces FINAL WHERE {where} GROUP BY day ORDER BY day DESC {Limit(query.Page, query.Limit)}",
            row => (Day: row.GetProperty("day").GetString()!, Traces: row.GetProperty("traces").GetInt64()),
            cancellationToken);
        var total = CountAsync($"SELECT uniqExact(day) AS n FROM traces FINAL WHERE {where}", cancellationToken);
        var page = await days.ConfigureAwait(false);
        if (page.Count == 0)
        {
            return new DailyMetricsPage([], await total.ConfigureAwait(false));
        }
        // The page's traces, with their day; their observations joined to them and grouped by day and model
        // (a null model row carries the day's observations that have none).
        var pageTraces = $"SELECT id AS trace_id, day AS trace_day FROM traces FINAL WHERE {where} AND day IN {ClickHouseFilter.List(page.Select(d => d.Day))}";
        var sql = $"""
            SELECT trace_day, model, count() AS observations, uniqExact(trace_id) AS traces, sum(total_cost) AS cost,
                   sum(input_usage) AS input_usage, sum(output_usage) AS output_usage, sum(total_usage) AS total_usage
            FROM
            (
                SELECT trace_id, provided_model_name AS model, total_cost,
                       if(has(usage_details_keys, 'input'), usage_details_values[indexOf(usage_details_keys, 'input')], 0) AS input_usage,
                       if(has(usage_details_keys, 'output'), usage_details_values[indexOf(usage_details_keys, 'output')], 0) AS output_usage,
                       if(has(usage_details_keys, 'total'), usage_details_values[indexOf(usage_details_keys, 'total')], input_usage + output_usage) AS total_usage
                FROM observations FINAL
                WHERE {new ClickHouseFilter(query.ProjectId)} AND trace_id IN (SELECT trace_id FROM ({pageTraces}))
            )
            ALL INNER JOIN ({pageTraces}) USING trace_id
            GROUP BY trace_day, model
            ORDER BY trace_day, model
            """;
        var usage = await QueryAsync(sql, row => (
            Day: row.GetProperty("trace_day").GetString()!,
            Model: row.GetProperty("model") is { ValueKind: JsonValueKind.String } model ? model.GetString() : null,
            Observations: row.GetProperty("observations").GetInt64(),
            Traces: row.GetProperty("traces").GetInt64(),
            Cost: row.GetProperty("cost") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : 0m,
            Input: row.GetProperty("input_usage").GetInt64(),
            Output: row.GetProperty("output_usage").GetInt64(),
            Total: row.GetProperty("total_usage").GetInt64()), cancellationToken).ConfigureAwait(false);
        var byDay = usage.ToLookup(u => u.Day, StringComparer.Ordinal);
        var items = page.Select(day =>
        {
            var rows = byDay[day.Day].ToList();
            return new DailyMetric(
                DateOnly.ParseExact(day.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                day.Traces,
                rows.Sum(r => r.Observations),
                rows.Sum(r => r.Cost),
                [.. rows.Where(r => r.Model is not null)
                    .OrderBy(r => r.Model, StringComparer.Ordinal)
                    .Select(r => new DailyModelUsage(r.Model!, r.Input, r.Output, r.Total, r.Traces, r.Observations, r.Cost))]);
        });
        return new DailyMetricsPage([.. items], await total.ConfigureAwait(false));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Seven small queries over the range's generations, run at once. Percentiles come from <c>quantiles</c>, ClickHouse's
    /// approximate reservoir sample (8,192 values per group, linear interpolation), so they are exact, and equal to DuckDB's
    /// <c>quantile_cont</c>, up to that many requests per group, and estimates beyond.
    /// </remarks>
    public async Task<UsageOverview> QueryUsageOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken = default)
    {
        AnalyticsQueryRules.Validate(query);
        var top = AnalyticsQueryRules.Top(query.Top);
        var (firstDay, lastDay) = AnalyticsQueryRules.Days(query.FromMs, query.ToMs);
        var generations = $"""
            SELECT start_time, trace_id, end_user,
                   {ClickHouseDashboardSql.Usage(UsageKeys.Input)} AS input_tokens, {ClickHouseDashboardSql.Usage(UsageKeys.Output)} AS output_tokens,
                   {ClickHouseDashboardSql.Cost} AS cost, {ClickHouseDashboardSql.IsError} AS is_error, cache_hit,
                   end_time - start_time AS latency_ms,
                   ifNull(ifNull(model_group, provided_model_name), '') AS model_name, ifNull(team_id, '') AS team_name,
                   ifNull(key_alias, '') AS key_name, ifNull(deployment, '') AS deployment_name
            FROM observations FINAL
            WHERE {new ClickHouseFilter(query.ProjectId)} AND type = 'GENERATION'
              AND day >= {ClickHouseSql.Quote(Day(firstDay))} AND day <= {ClickHouseSql.Quote(Day(lastDay))}
              AND start_time >= {ClickHouseFilter.Number(query.FromMs)} AND start_time < {ClickHouseFilter.Number(query.ToMs)}
            """;
        // Output names differ from the inner columns': ClickHouse would read "sum(x) AS x" as a cyclic alias.
        const string Aggregates = """
            count() AS requests, sum(is_error) AS errors, sum(input_tokens) AS input_sum, sum(output_tokens) AS output_sum,
            sum(cost) AS cost_sum, sum(cache_hit) AS cache_hits, quantiles(0.5, 0.95, 0.99)(latency_ms) AS latency
            """;
        var totals = QueryAsync($"SELECT {Aggregates} FROM ({generations})", UsageTotalsOf, cancellationToken);
        var bucket = ClickHouseFilter.Number(query.BucketMs);
        var buckets = QueryAsync(
            $"SELECT intDiv(start_time, {bucket}) * {bucket} AS bucket_start, {Aggregates} FROM ({generations}) GROUP BY bucket_start ORDER BY bucket_start",
            row => new UsageBucket(row.GetProperty("bucket_start").GetInt64(), UsageTotalsOf(row)),
            cancellationToken);
        var byModel = Groups("model_name", "requests", keepEmpty: true);
        var byTeam = Groups("team_name", "requests", keepEmpty: true);
        var topKeys = Groups("key_name", "cost_sum", keepEmpty: false);
        var byDeployment = Groups("deployment_name", "requests", keepEmpty: false);
        // The trace's user id, else the request's end user: the traces of the range's generations, joined on.
        var users = $"""
            SELECT id AS trace_id, user_id AS trace_user FROM traces FINAL
            WHERE {new ClickHouseFilter(query.ProjectId)} AND id IN (SELECT trace_id FROM ({generations}))
            """;
        var topUsers = top == 0
            ? Task.FromResult<IReadOnlyList<UsageGroup>>([])
            : QueryAsync(
                $"""
                SELECT ifNull(ifNull(trace_user, end_user), '') AS group_name, {Aggregates}
                FROM ({generations}) ANY LEFT JOIN ({users}) USING trace_id
                WHERE group_name != ''
                GROUP BY group_name ORDER BY cost_sum DESC, group_name ASC LIMIT {ClickHouseFilter.Number(top)}
                """,
                GroupOf, cancellationToken);
        await Task.WhenAll(totals, buckets, byModel, byTeam, topKeys, byDeployment, topUsers).ConfigureAwait(false);
        var series = totals.Result.Count == 0 || totals.Result[0].Requests == 0
            ? UsageSeries.Empty
            : new UsageSeries(totals.Result[0], [.. buckets.Result]);
        return new UsageOverview(series, [.. byModel.Result], [.. byTeam.Result], [.. topUsers.Result], [.. topKeys.Result])
        {
            ByDeployment = [.. byDeployment.Result],
        };

        Task<IReadOnlyList<UsageGroup>> Groups(string column, string order, bool keepEmpty)
        {
            if (top == 0)
            {
                return Task.FromResult<IReadOnlyList<UsageGroup>>([]);
            }
            var where = keepEmpty ? "" : $"WHERE {column} != ''";
            return QueryAsync(
                $"SELECT {column} AS group_name, {Aggregates} FROM ({generations}) {where} GROUP BY group_name ORDER BY {order} DESC, group_name ASC LIMIT {ClickHouseFilter.Number(top)}",
                GroupOf, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<TraceGroupPage> QueryTraceGroupsAsync(TraceGroupQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var column = GroupColumn(query.By);
        var traces = new ClickHouseFilter(query.ProjectId)
            .Raw($"isNotNull({column})")
            .Range("timestamp", query.FromTimestampMs, query.ToTimestampMs);
        if (AnalyticsQueryRules.SearchText(query.Search) is { } search)
        {
            traces.Raw(ClickHouseDashboardSql.Contains(column, ClickHouseSql.Quote(search)));
        }
        var where = traces.ToString();
        var page = QueryAsync(
            $"""
            SELECT assumeNotNull({column}) AS group_id, count() AS traces, min(timestamp) AS first_ts, max(timestamp) AS last_ts
            FROM traces FINAL WHERE {where}
            GROUP BY group_id ORDER BY last_ts DESC, group_id DESC {Limit(query.Page, query.Limit)}
            """,
            row => (
                Id: row.GetProperty("group_id").GetString()!,
                Traces: row.GetProperty("traces").GetInt64(),
                First: row.GetProperty("first_ts").GetInt64(),
                Last: row.GetProperty("last_ts").GetInt64()),
            cancellationToken);
        var total = CountAsync($"SELECT uniqExact(assumeNotNull({column})) AS n FROM traces FINAL WHERE {where}", cancellationToken);
        var groups = await page.ConfigureAwait(false);
        if (groups.Count == 0)
        {
            return new TraceGroupPage([], await total.ConfigureAwait(false));
        }
        // Only the page's groups' observations: their traces (same filter), joined to per-trace observation totals.
        var pageTraces = $"SELECT id AS trace_id, assumeNotNull({column}) AS group_id FROM traces FINAL WHERE {where} AND {column} IN {ClickHouseFilter.List(groups.Select(g => g.Id))}";
        var observations = await QueryAsync(
            $"""
            SELECT group_id, sum(n) AS observations, sum(trace_cost) AS cost, sum(trace_tokens) AS tokens, sum(trace_errors) AS errors
            FROM
            (
                SELECT trace_id, count() AS n, sum({ClickHouseDashboardSql.Cost}) AS trace_cost, sum({ClickHouseDashboardSql.Tokens}) AS trace_tokens,
                       sum({ClickHouseDashboardSql.IsError}) AS trace_errors
                FROM observations FINAL
                WHERE {new ClickHouseFilter(query.ProjectId)} AND trace_id IN (SELECT trace_id FROM ({pageTraces}))
                GROUP BY trace_id
            )
            ALL INNER JOIN ({pageTraces}) USING trace_id
            GROUP BY group_id
            """,
            row => (
                Id: row.GetProperty("group_id").GetString()!,
                Observations: row.GetProperty("observations").GetInt64(),
                Cost: row.GetProperty("cost") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : 0m,
                Tokens: row.GetProperty("tokens").GetInt64(),
                Errors: row.GetProperty("errors").GetInt64()),
            cancellationToken).ConfigureAwait(false);
        var byGroup = observations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var items = groups.Select(g =>
        {
            var found = byGroup.TryGetValue(g.Id, out var o);
            return new TraceGroupTotals(g.Id, g.Traces, found ? o.Observations : 0, found ? o.Cost : 0m, found ? o.Tokens : 0, g.First, g.Last, found ? o.Errors : 0);
        });
        return new TraceGroupPage([.. items], await total.ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> DropMonthsBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken = default)
    {
        // A month's last day is before the cutoff exactly when the month is before the cutoff's month.
        var cutoffMonth = (cutoff.Year * 100) + cutoff.Month;
        var parts = await QueryAsync(
            $"SELECT DISTINCT table, partition FROM system.parts WHERE database = {ClickHouseSql.Quote(http.Database)} AND active AND table IN {ClickHouseFilter.List(Tables)}",
            row => (Table: row.GetProperty("table").GetString()!, Partition: row.GetProperty("partition").GetString()!),
            cancellationToken).ConfigureAwait(false);
        var dropped = new SortedSet<int>();
        foreach (var (table, partition) in parts.OrderBy(p => p.Partition, StringComparer.Ordinal).ThenBy(p => p.Table, StringComparer.Ordinal))
        {
            // Partitions are toYYYYMM(day); anything else is not ours to drop.
            if (!int.TryParse(partition, NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month >= cutoffMonth)
            {
                continue;
            }
            await http.ExecuteAsync($"ALTER TABLE {ClickHouseSql.Identifier(table)} DROP PARTITION {ClickHouseFilter.Number(month)}", cancellationToken).ConfigureAwait(false);
            dropped.Add(month);
        }
        return [.. dropped];
    }

    private async Task<ImmutableArray<TraceSummary>> SummariesAsync(string projectId, IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        if (traces.Count == 0)
        {
            return [];
        }
        var ids = ClickHouseFilter.List(traces.Select(t => t.Id).Distinct(StringComparer.Ordinal));
        var observations = QueryAsync(
            $"""
            SELECT trace_id, arrayMap(x -> x.2, arraySort(groupArray((start_time, id)))) AS ids,
                   min(start_time) AS first_start, max(ifNull(end_time, start_time)) AS last_end, sum(total_cost) AS cost,
                   max({ClickHouseDashboardSql.LevelRank}) AS level_rank, sum({ClickHouseDashboardSql.Tokens}) AS tokens
            FROM observations FINAL WHERE {new ClickHouseFilter(projectId)} AND trace_id IN {ids}
            GROUP BY trace_id
            """,
            row => (
                TraceId: row.GetProperty("trace_id").GetString()!,
                Ids: Strings(row.GetProperty("ids")),
                Latency: (row.GetProperty("last_end").GetInt64() - row.GetProperty("first_start").GetInt64()) / 1000.0,
                Cost: row.GetProperty("cost") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : 0m,
                Level: AnalyticsQueryRules.LevelName(row.GetProperty("level_rank").GetInt64()),
                Tokens: row.GetProperty("tokens").GetInt64()),
            cancellationToken);
        var scores = QueryAsync(
            $"""
            SELECT assumeNotNull(trace_id) AS trace_key, arrayMap(x -> x.2, arraySort(groupArray((timestamp, id)))) AS ids
            FROM scores FINAL WHERE {new ClickHouseFilter(projectId)} AND trace_id IN {ids}
            GROUP BY trace_key
            """,
            row => (TraceId: row.GetProperty("trace_key").GetString()!, Ids: Strings(row.GetProperty("ids"))),
            cancellationToken);
        await Task.WhenAll(observations, scores).ConfigureAwait(false);
        var observationsByTrace = observations.Result.ToDictionary(o => o.TraceId, StringComparer.Ordinal);
        var scoresByTrace = scores.Result.ToDictionary(s => s.TraceId, s => s.Ids, StringComparer.Ordinal);
        return [.. traces.Select(t =>
        {
            var found = observationsByTrace.TryGetValue(t.Id, out var o);
            return new TraceSummary(
                t,
                found ? o.Ids : [],
                scoresByTrace.GetValueOrDefault(t.Id, []),
                found ? o.Latency : 0,
                found ? o.Cost : 0m)
            {
                Level = found ? o.Level : AnalyticsQueryRules.LevelName(AnalyticsQueryRules.DefaultLevelRank),
                TotalTokens = found ? o.Tokens : 0,
            };
        })];
    }

    private async Task<IReadOnlyList<T>> ByKeysAsync<T>(string table, string columns, IReadOnlyCollection<EntityKey> keys, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new List<T>();
        foreach (var chunk in keys.Distinct().Chunk(KeysPerQuery))
        {
            var byProject = chunk.GroupBy(k => k.ProjectId, StringComparer.Ordinal)
                .Select(g => $"(project_id = {ClickHouseSql.Quote(g.Key)} AND id IN {ClickHouseFilter.List(g.Select(k => k.Id))})");
            result.AddRange(await QueryAsync(
                $"SELECT {columns} FROM {table} FINAL WHERE is_deleted = 0 AND ({string.Join(" OR ", byProject)})",
                read, cancellationToken).ConfigureAwait(false));
        }
        return result;
    }

    // The ids of the project's traces matching the filter, for "the observation's / scored trace has ..." filters.
    private static string TraceIds(ClickHouseFilter filter) => $"SELECT id FROM traces FINAL WHERE {filter}";

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await http.QueryJsonEachRowAsync(sql, row => rows.Add(read(row)), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(sql, row => row.GetProperty("n").GetInt64(), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : rows[0];
    }

    private static string GroupColumn(TraceGroupKind by) => by switch
    {
        TraceGroupKind.Session => "session_id",
        TraceGroupKind.User => "user_id",
        _ => throw new ArgumentException($"traces cannot be grouped by {by}", nameof(by)),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static UsageGroup GroupOf(JsonElement row) => new(row.GetProperty("group_name").GetString()!, UsageTotalsOf(row));

    private static UsageTotals UsageTotalsOf(JsonElement row)
    {
        var requests = row.GetProperty("requests").GetInt64();
        if (requests == 0)
        {
            return UsageTotals.Empty;
        }
        var latency = row.GetProperty("latency");
        // Null when none of the requests has an end time.
        double Quantile(int i) => latency.ValueKind == JsonValueKind.Array && latency.GetArrayLength() > i && latency[i] is { ValueKind: JsonValueKind.Number } q ? q.GetDouble() : 0;
        return new UsageTotals(
            requests,
            row.GetProperty("errors").GetInt64(),
            row.GetProperty("input_sum").GetInt64(),
            row.GetProperty("output_sum").GetInt64(),
            row.GetProperty("cost_sum") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : 0m,
            row.GetProperty("cache_hits").GetInt64(),
            Quantile(0),
            Quantile(1),
            Quantile(2));
    }

    private static ImmutableArray<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Limit(int page, int limit)
    {
        var (offset, size) = AnalyticsQueryRules.Page(page, limit);
        return $"LIMIT {ClickHouseFilter.Number(offset)}, {ClickHouseFilter.Number(size)}";
    }
}
