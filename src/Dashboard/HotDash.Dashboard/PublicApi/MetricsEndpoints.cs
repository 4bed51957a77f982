using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary><c>GET /api/public/metrics/daily</c>.</summary>
internal static class MetricsEndpoints
{
    public static async Task<IResult> DailyAsync(PublicApiCall call)
    {
        var q = new PublicApiQuery(call.Request.Query);
        var page = q.Page();
        var limit = q.Limit();
        var query = new DailyMetricsQuery(call.ProjectId, page, limit)
        {
            TraceName = q.String("traceName"),
            UserId = q.String("userId"),
            Tags = q.Many("tags"),
            Environments = q.Many("environment"),
            FromTimestampMs = q.Timestamp("fromTimestamp"),
            ToTimestampMs = q.Timestamp("toTimestamp"),
        };
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        var result = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).QueryDailyMetrics(query);
        return LangfusePageJson.Page(result.Items, result.TotalItems, page, limit, LangfuseMetricsJson.WriteDay);
    }
}
