using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// <c>GET /api/public/scores</c> (v1: trace scores), <c>GET /api/public/v2/scores</c> (trace, observation and session
/// scores) and their <c>/{scoreId}</c>.
/// </summary>
internal static class ScoreEndpoints
{
    private static readonly string[] DataTypes = ["NUMERIC", "CATEGORICAL", "BOOLEAN", "CORRECTION", "TEXT"];

    private static readonly string[] Sources = ["API", "ANNOTATION", "EVAL"];

    private static readonly string[] Operators = ["<", ">", "<=", ">=", "!=", "="];

    public static Task<IResult> ListV1Async(PublicApiCall call) => ListAsync(call, LangfuseScoreSchema.V1);

    public static Task<IResult> ListV2Async(PublicApiCall call) => ListAsync(call, LangfuseScoreSchema.V2);

    public static Task<IResult> GetV1Async(PublicApiCall call) => GetAsync(call, LangfuseScoreSchema.V1);

    public static Task<IResult> GetV2Async(PublicApiCall call) => GetAsync(call, LangfuseScoreSchema.V2);

    private static async Task<IResult> ListAsync(PublicApiCall call, LangfuseScoreSchema schema)
    {
        var q = new PublicApiQuery(call.Request.Query);
        var page = q.Page();
        var limit = q.Limit();
        var query = new ScoreQuery(call.ProjectId, page, limit)
        {
            UserId = q.String("userId"),
            Name = q.String("name"),
            FromTimestampMs = q.Timestamp("fromTimestamp"),
            ToTimestampMs = q.Timestamp("toTimestamp"),
            Source = q.Enum("source", Sources),
            Value = q.Number("value"),
            Operator = q.Enum("operator", Operators),
            ScoreIds = q.CommaSeparated("scoreIds"),
            DataType = q.Enum("dataType", DataTypes),
            TraceTags = q.Many("traceTags"),
            ConfigId = q.String("configId"),
            Environments = q.Many("environment"),
        };
        // Annotation queues and dataset runs do not exist in HotDash: a filter on one matches no score.
        var matchesNothing = q.String("queueId") is not null;
        if (schema == LangfuseScoreSchema.V2)
        {
            var observationIds = q.CommaSeparated("observationId");
            if (observationIds.Length > 1)
            {
                q.Fail("observationId: HotDash filters on one observation id at a time");
            }
            query = query with
            {
                SessionId = q.String("sessionId"),
                TraceId = q.String("traceId"),
                ObservationId = observationIds.IsEmpty ? null : observationIds[0],
            };
            matchesNothing |= q.String("datasetRunId") is not null;
        }
        TraceEndpoints.RefuseAdvancedFilter(q);
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        if (matchesNothing)
        {
            return LangfusePageJson.Page(Array.Empty<ScoreRecord>(), 0, page, limit, (_, _) => { });
        }

        var analytics = call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey);
        var result = await analytics.QueryScores(query);
        var traces = await ScoredTracesAsync(analytics, call.ProjectId, result.Items);
        // Langfuse's v1 list keeps trace scores only (filterAndValidateLegacyV1GetScoreList); its count does not.
        var items = schema == LangfuseScoreSchema.V1 ? result.Items.Where(s => !string.IsNullOrEmpty(s.TraceId)).ToList() : (IReadOnlyList<ScoreRecord>)result.Items;
        return LangfusePageJson.Page(items, result.TotalItems, page, limit, (w, s) =>
            LangfuseScoreJson.WriteScore(w, s, call.ProjectId, schema,
                s.TraceId is { Length: > 0 } traceId && traces.TryGetValue(traceId, out var trace) ? trace : ScoredTrace.None));
    }

    private static async Task<IResult> GetAsync(PublicApiCall call, LangfuseScoreSchema schema)
    {
        var id = call.Route("scoreId");
        var score = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).GetScore(call.ProjectId, id);
        if (score is null || (schema == LangfuseScoreSchema.V1 && string.IsNullOrEmpty(score.TraceId)))
        {
            return PublicApiErrors.NotFound("Score not found");
        }
        return new LangfuseJsonResult(StatusCodes.Status200OK, w => LangfuseScoreJson.WriteScore(w, score, call.ProjectId, schema, trace: null));
    }

    /// <summary>The scored traces of a page (Langfuse's <c>trace</c> object of each list item), read in parallel.</summary>
    private static async Task<Dictionary<string, ScoredTrace>> ScoredTracesAsync(IAnalyticsQueryGrain analytics, string projectId, ImmutableArray<ScoreRecord> scores)
    {
        var ids = scores.Select(s => s.TraceId).Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).Cast<string>().ToList();
        var details = await Task.WhenAll(ids.Select(id => analytics.GetTrace(projectId, id)));
        var traces = new Dictionary<string, ScoredTrace>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (details[i] is { } detail)
            {
                traces[ids[i]] = ScoredTrace.Of(detail.Summary.Trace);
            }
        }
        return traces;
    }
}
