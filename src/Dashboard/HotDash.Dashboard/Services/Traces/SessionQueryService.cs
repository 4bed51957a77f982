using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>The session page's read: <see cref="IAnalyticsQueryGrain.GetSession"/> joined with the trace list's totals.</summary>
public sealed class SessionQueryService(IClusterClient client, IOptions<HotDashDashboardOptions> options)
{
    /// <summary>Traces per trace-list page (the store's largest page).</summary>
    public const int PageSize = 100;

    /// <summary>
    /// At most this many trace-list pages are read for the totals: a session with more traces still lists every one,
    /// only its totals and the later traces' cost and latency are left out (shown as such) rather than read unbounded.
    /// </summary>
    public const int MaxSummaryPages = 10;

    private IAnalyticsQueryGrain Grain => client.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey);

    /// <summary>The session and its traces, oldest first; <see langword="null"/> when no trace of the project has that session id.</summary>
    public async Task<SessionView?> GetSessionAsync(string projectId, string sessionId, CancellationToken ct)
    {
        var detailCall = Call(Grain.GetSession(projectId, sessionId), ct);
        var firstPage = Call(Grain.QueryTraces(Query(projectId, sessionId, 1)), ct);
        var detail = await detailCall;
        if (detail is null)
        {
            // Observe the list call too, so its failure is not left unobserved.
            await firstPage;
            return null;
        }
        var summaries = new List<TraceSummary>();
        var page = await firstPage;
        summaries.AddRange(page.Items);
        for (var n = 2; n <= MaxSummaryPages && page.Items.Length == PageSize && summaries.Count < page.TotalItems; n++)
        {
            page = await Call(Grain.QueryTraces(Query(projectId, sessionId, n)), ct);
            summaries.AddRange(page.Items);
        }
        return SessionView.Of(detail, summaries);
    }

    private static TraceQuery Query(string projectId, string sessionId, int page) =>
        new(projectId, page, PageSize) { SessionId = sessionId, OrderBy = "timestamp", Ascending = true };

    private async Task<T> Call<T>(Task<T> call, CancellationToken ct) =>
        // The page shows the failure rather than hanging on Orleans' 30-second response timeout (as TraceQueryService does).
        await call.WaitAsync(options.Value.ClusterCallTimeout * 3, ct);
}
