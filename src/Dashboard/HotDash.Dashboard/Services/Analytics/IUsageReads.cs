using HotDash.Grains;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>
/// The two cluster reads the overview is made of: the analytics store's usage overview and a rollup grain's summary.
/// A seam so the merge and the page can be tested without a cluster.
/// </summary>
public interface IUsageReads
{
    /// <summary>The analytics store's overview (<see cref="IAnalyticsQueryGrain.QueryUsageOverview"/>).</summary>
    Task<UsageOverview> QueryOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken);

    /// <summary>One rollup subject's minutes in [<paramref name="fromMs"/>, <paramref name="toMs"/>) (<see cref="ITraceRollupGrain.Summarize"/>).</summary>
    Task<UsageSeries> SummarizeAsync(string subject, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken);
}
