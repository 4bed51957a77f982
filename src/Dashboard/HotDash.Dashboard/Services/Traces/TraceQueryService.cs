using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>The dashboard's reads of traces, sessions and users, through <see cref="IAnalyticsQueryGrain"/>.</summary>
public sealed class TraceQueryService(IClusterClient client, IOptions<HotDashDashboardOptions> options)
{
    /// <summary>How many traces of a session are summed for its cost (the store's page limit).</summary>
    public const int SessionCostTraces = 100;

    /// <summary>How many of the newest traces the users list reads: the store has no per-user aggregate.</summary>
    public const int UserScanTraces = 1000;

    private const int MaxPage = 100;

    private IAnalyticsQueryGrain Grain => client.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey);

    /// <summary>A page of traces.</summary>
    public Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken ct) => Call(Grain.QueryTraces(query), ct);

    /// <summary>One trace with its observations and scores, or <see langword="null"/>.</summary>
    public Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken ct) => Call(Grain.GetTrace(projectId, traceId), ct);

    /// <summary>A page of sessions with their trace counts and costs.</summary>
    public async Task<(IReadOnlyList<SessionTotals> Items, long Total)> QuerySessionsAsync(SessionQuery query, CancellationToken ct)
    {
        var page = await Call(Grain.QuerySessions(query), ct);
        // One bounded call per row (at most one page of sessions), in parallel: the session query carries no totals.
        var totals = await Task.WhenAll(page.Items.Select(async s =>
        {
            var traces = await Call(Grain.QueryTraces(new TraceQuery(query.ProjectId, 1, SessionCostTraces) { SessionId = s.Id }), ct);
            return new SessionTotals(s, traces.TotalItems, traces.Items.Sum(t => t.TotalCost), traces.TotalItems > traces.Items.Length);
        }));
        return (totals, page.TotalItems);
    }

    /// <summary>The users of the newest <see cref="UserScanTraces"/> traces matching <paramref name="query"/> (its page and limit are ignored).</summary>
    public async Task<UserList> QueryUsersAsync(TraceQuery query, CancellationToken ct)
    {
        var users = new Dictionary<string, (long Traces, decimal Cost, long? Last)>(StringComparer.Ordinal);
        long read = 0, total = 0;
        for (var page = 1; read < UserScanTraces; page++)
        {
            var result = await Call(Grain.QueryTraces(query with { Page = page, Limit = MaxPage, Ascending = false, OrderBy = "timestamp" }), ct);
            total = result.TotalItems;
            foreach (var t in result.Items)
            {
                if (t.Trace.UserId is not { Length: > 0 } user)
                {
                    continue;
                }
                var u = users.GetValueOrDefault(user);
                users[user] = (u.Traces + 1, u.Cost + t.TotalCost, Max(u.Last, t.Trace.TimestampMs));
            }
            read += result.Items.Length;
            if (result.Items.Length < MaxPage)
            {
                break;
            }
        }
        var list = users.Select(kv => new UserSummary(kv.Key, kv.Value.Traces, kv.Value.Cost, kv.Value.Last))
            .OrderByDescending(u => u.TotalCost).ThenByDescending(u => u.Traces).ThenBy(u => u.UserId, StringComparer.Ordinal)
            .ToList();
        return new UserList(list, read, total);
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private async Task<T> Call<T>(Task<T> call, CancellationToken ct) =>
        // The page shows the failure rather than hanging on Orleans' 30-second response timeout.
        await call.WaitAsync(options.Value.ClusterCallTimeout * 3, ct);
}
