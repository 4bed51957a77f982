using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary><see cref="IUsageReads"/> over the cluster: the analytics query grain and the rollup grains.</summary>
public sealed class ClusterUsageReads(IClusterClient client, IOptions<HotDashDashboardOptions> options, TimeProvider time) : IUsageReads
{
    /// <inheritdoc/>
    public Task<UsageOverview> QueryOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken) =>
        // An analytics query may scan 30 days: the same allowance the traces page gives its reads.
        client.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey)
            .QueryUsageOverview(query)
            .WaitAsync(options.Value.ClusterCallTimeout * 3, time, cancellationToken);

    /// <inheritdoc/>
    public Task<UsageSeries> SummarizeAsync(string subject, long fromMs, long toMs, long bucketMs, CancellationToken cancellationToken) =>
        // In memory in the grain: a slow answer means the cluster is in trouble, so the plain cluster-call bound applies.
        client.GetGrain<ITraceRollupGrain>(subject)
            .Summarize(fromMs, toMs, bucketMs)
            .WaitAsync(options.Value.ClusterCallTimeout, time, cancellationToken);
}
