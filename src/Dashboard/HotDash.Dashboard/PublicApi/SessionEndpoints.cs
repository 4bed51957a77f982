using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary><c>GET /api/public/sessions</c> and <c>GET /api/public/sessions/{sessionId}</c>.</summary>
internal static class SessionEndpoints
{
    public static async Task<IResult> ListAsync(PublicApiCall call)
    {
        var q = new PublicApiQuery(call.Request.Query);
        var page = q.Page();
        var limit = q.Limit();
        var query = new SessionQuery(call.ProjectId, page, limit)
        {
            FromTimestampMs = q.Timestamp("fromTimestamp"),
            ToTimestampMs = q.Timestamp("toTimestamp"),
            Environments = q.Many("environment"),
        };
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        var result = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).QuerySessions(query);
        return LangfusePageJson.Page(result.Items, result.TotalItems, page, limit,
            (w, s) => LangfuseSessionJson.WriteSession(w, s, call.ProjectId));
    }

    public static async Task<IResult> GetAsync(PublicApiCall call)
    {
        var id = call.Route("sessionId");
        var detail = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).GetSession(call.ProjectId, id);
        if (detail is null)
        {
            return PublicApiErrors.NotFound("Session not found within authorized project");
        }
        return new LangfuseJsonResult(StatusCodes.Status200OK, w => LangfuseSessionJson.WriteDetail(w, detail, call.ProjectId));
    }
}
