using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary><c>GET /api/public/observations</c> and <c>GET /api/public/observations/{observationId}</c>.</summary>
internal static class ObservationEndpoints
{
    /// <summary>Langfuse's observation types.</summary>
    public static readonly string[] Types = ["GENERATION", "SPAN", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL"];

    /// <summary>Langfuse's observation levels.</summary>
    public static readonly string[] Levels = ["DEBUG", "DEFAULT", "WARNING", "ERROR"];

    public static async Task<IResult> ListAsync(PublicApiCall call)
    {
        var q = new PublicApiQuery(call.Request.Query);
        var page = q.Page();
        var limit = q.Limit();
        var query = new ObservationQuery(call.ProjectId, page, limit)
        {
            Name = q.String("name"),
            UserId = q.String("userId"),
            Type = q.Enum("type", Types),
            TraceId = q.String("traceId"),
            ParentObservationId = q.String("parentObservationId"),
            FromStartTimeMs = q.Timestamp("fromStartTime"),
            ToStartTimeMs = q.Timestamp("toStartTime"),
            Level = q.Enum("level", Levels),
            Version = q.String("version"),
            Environments = q.Many("environment"),
        };
        TraceEndpoints.RefuseAdvancedFilter(q);
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        var result = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).QueryObservations(query);
        return LangfusePageJson.Page(result.Items, result.TotalItems, page, limit,
            (w, o) => LangfuseObservationJson.WriteObservation(w, o, call.ProjectId, pricesAsZero: false));
    }

    public static async Task<IResult> GetAsync(PublicApiCall call)
    {
        var id = call.Route("observationId");
        var observation = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).GetObservation(call.ProjectId, id);
        if (observation is null)
        {
            return PublicApiErrors.NotFound("Observation not found within authorized project");
        }
        return new LangfuseJsonResult(StatusCodes.Status200OK, w => LangfuseObservationJson.WriteObservation(w, observation, call.ProjectId, pricesAsZero: false));
    }
}
