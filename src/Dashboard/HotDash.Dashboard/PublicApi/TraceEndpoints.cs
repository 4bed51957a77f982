using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary><c>GET /api/public/traces</c> and <c>GET /api/public/traces/{traceId}</c>.</summary>
internal static class TraceEndpoints
{
    // Langfuse's orderBy columns for traces (its public API column mapping).
    private static readonly string[] OrderColumns = ["timestamp", "name", "userId", "release", "version", "public", "bookmarked", "sessionId", "id"];

    public static async Task<IResult> ListAsync(PublicApiCall call)
    {
        var q = new PublicApiQuery(call.Request.Query);
        var page = q.Page();
        var limit = q.Limit();
        var (orderBy, ascending) = OrderBy(q);
        var query = new TraceQuery(call.ProjectId, page, limit)
        {
            UserId = q.String("userId"),
            Name = q.String("name"),
            SessionId = q.String("sessionId"),
            FromTimestampMs = q.Timestamp("fromTimestamp"),
            ToTimestampMs = q.Timestamp("toTimestamp"),
            OrderBy = orderBy,
            Ascending = ascending,
            Tags = q.Many("tags"),
            Version = q.String("version"),
            Release = q.String("release"),
            Environments = q.Many("environment"),
        };
        var fields = Fields(q);
        RefuseAdvancedFilter(q);
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        var result = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).QueryTraces(query);
        return LangfusePageJson.Page(result.Items, result.TotalItems, page, limit,
            (w, trace) => LangfuseTraceJson.WriteSummary(w, trace, call.ProjectId, fields));
    }

    public static async Task<IResult> GetAsync(PublicApiCall call)
    {
        var traceId = call.Route("traceId");
        var q = new PublicApiQuery(call.Request.Query);
        var fields = Fields(q);
        if (q.Error is { } error)
        {
            return PublicApiErrors.InvalidRequest(error);
        }
        var detail = await call.Grains.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).GetTrace(call.ProjectId, traceId);
        if (detail is null)
        {
            return PublicApiErrors.NotFound($"Trace {traceId} not found within authorized project");
        }
        return new LangfuseJsonResult(StatusCodes.Status200OK, w => LangfuseTraceJson.WriteDetail(w, detail, call.ProjectId, fields));
    }

    /// <summary><c>fields=core,io,...</c>: unknown groups are dropped, none left means all (Langfuse's <c>unknownValues: "filter"</c>).</summary>
    private static TraceFieldGroups Fields(PublicApiQuery q)
    {
        var requested = q.CommaSeparated("fields");
        var fields = TraceFieldGroups.Core;
        var any = false;
        foreach (var name in requested)
        {
            var group = name switch
            {
                "core" => TraceFieldGroups.Core,
                "io" => TraceFieldGroups.Io,
                "scores" => TraceFieldGroups.Scores,
                "observations" => TraceFieldGroups.Observations,
                "metrics" => TraceFieldGroups.Metrics,
                _ => (TraceFieldGroups?)null,
            };
            if (group is { } g)
            {
                fields |= g;
                any = true;
            }
        }
        return any ? fields : TraceFieldGroups.All;
    }

    /// <summary><c>orderBy=column.asc|desc</c>; the default is newest first.</summary>
    private static (string? Column, bool Ascending) OrderBy(PublicApiQuery q)
    {
        var text = q.String("orderBy");
        if (text is null)
        {
            return (null, false);
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var column = dot < 0 ? text : text[..dot];
        var order = dot < 0 ? "" : text[(dot + 1)..].ToUpperInvariant();
        if (order is not ("ASC" or "DESC"))
        {
            q.Fail($"orderBy: expected column.asc or column.desc (e.g. timestamp.asc), got '{text}'");
            return (null, false);
        }
        if (Array.IndexOf(OrderColumns, column) < 0)
        {
            q.Fail($"orderBy: invalid column '{column}'; expected one of {string.Join(", ", OrderColumns)}");
            return (null, false);
        }
        return (column, order == "ASC");
    }

    /// <summary>Langfuse's JSON <c>filter</c> parameter (advanced filters) is not supported: refused rather than ignored.</summary>
    internal static void RefuseAdvancedFilter(PublicApiQuery q)
    {
        if (q.String("filter") is { } filter && filter.Trim() is not ("[]" or ""))
        {
            q.Fail("filter: advanced JSON filters are not supported by HotDash; use the individual query parameters");
        }
    }
}
