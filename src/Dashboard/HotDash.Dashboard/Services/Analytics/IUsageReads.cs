using HotDash.Grains;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// The reads the overview is made of: the analytics store's usage overview, a rollup grain's summary, the teams' aliases.
/// A seam so the merge and the page can be tested without a cluster.
/// </summary>
public interface IUsageReads
{
    /// <summary>The analytics store's overview (<see cref="IAnalyticsQueryGrain.QueryUsageOverview"/>).</summary>
    Task<UsageOverview> QueryOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken);

    /// <summary>One rollup subject's minutes in [<paramref name="fromMs"/>, <paramref name="toMs"/>) (<see cref="ITraceRollupGrain.Summarize"/>).</summary>
    Task<UsageSeries> SummarizeAsync(string subject, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken);

    /// <summary>Team id to alias for the teams that have one (the gateway's <c>/team/list</c>): the by-team rows' labels.</summary>
    Task<IReadOnlyDictionary<string, string>> TeamAliasesAsync(CancellationToken cancellationToken);
}
