using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>The dashboard's reads of traces, sessions and users, through <see cref="IAnalyticsQueryGrain"/>.</summary>
public sealed class TraceQueryService(IClusterClient client, IOptions<HotDashDashboardOptions> options)
{
    private IAnalyticsQueryGrain Grain => client.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey);

    /// <summary>A page of traces.</summary>
    public Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken ct) => Call(Grain.QueryTraces(query), ct);

    /// <summary>
    /// A page of traces and, when it is empty, why: <see cref="ListEmptiness.NothingYet"/> when the project has no
    /// trace at all (one more one-row query, only when the filter could have excluded some).
    /// </summary>
    public async Task<(TracePage Page, ListEmptiness Empty)> QueryTracesAsync(TraceFilter filter, string projectId, int page, int pageSize, DateTimeOffset now, CancellationToken ct)
    {
        var result = await QueryTracesAsync(filter.ToQuery(projectId, page, pageSize, now), ct);
        if (result.TotalItems > 0 || result.Items.Length > 0)
        {
            return (result, ListEmptiness.NotEmpty);
        }
        if (filter.IsUnfiltered)
        {
            return (result, ListEmptiness.NothingYet);
        }
        var any = await QueryTracesAsync(new TraceQuery(projectId, 1, 1), ct);
        return (result, any.TotalItems > 0 || any.Items.Length > 0 ? ListEmptiness.NoMatch : ListEmptiness.NothingYet);
    }

    /// <summary>One trace with its observations and scores, or <see langword="null"/>.</summary>
    public Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken ct) => Call(Grain.GetTrace(projectId, traceId), ct);

    /// <summary>A page of sessions or users with their totals and, when it is empty, why (as <see cref="QueryTracesAsync(TraceFilter, string, int, int, DateTimeOffset, CancellationToken)"/>).</summary>
    public async Task<(TraceGroupPage Page, ListEmptiness Empty)> QueryGroupsAsync(TraceGroupFilter filter, string projectId, int page, int pageSize, DateTimeOffset now, CancellationToken ct)
    {
        var result = await Call(Grain.QueryTraceGroups(filter.ToQuery(projectId, page, pageSize, now)), ct);
        if (result.TotalItems > 0 || result.Items.Length > 0)
        {
            return (result, ListEmptiness.NotEmpty);
        }
        if (filter.IsUnfiltered)
        {
            return (result, ListEmptiness.NothingYet);
        }
        var any = await Call(Grain.QueryTraceGroups(new TraceGroupQuery(projectId, filter.By, 1, 1)), ct);
        return (result, any.TotalItems > 0 || any.Items.Length > 0 ? ListEmptiness.NoMatch : ListEmptiness.NothingYet);
    }

    private async Task<T> Call<T>(Task<T> call, CancellationToken ct) =>
        // The page shows the failure rather than hanging on Orleans' 30-second response timeout.
        await call.WaitAsync(options.Value.ClusterCallTimeout * 3, ct);
}
