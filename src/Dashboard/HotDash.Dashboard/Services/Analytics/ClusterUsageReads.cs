using System.Text.Json.Nodes;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services.Admin;
using HotDash.Grains;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary><see cref="IUsageReads"/> over the cluster: the analytics query grain and the rollup grains.</summary>
public sealed class ClusterUsageReads(IClusterClient client, IOptions<HotDashDashboardOptions> options, TimeProvider time, IHttpClientFactory http) : IUsageReads
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

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> TeamAliasesAsync(CancellationToken cancellationToken)
    {
        // The typed management client's configured HttpClient (base address, master key); this service is a singleton.
        var management = new ManagementClient(http.CreateClient(nameof(ManagementClient)));
        var result = await management.GetAsync("team/list", null, cancellationToken).WaitAsync(options.Value.ClusterCallTimeout * 3, time, cancellationToken);
        if (!result.Ok)
        {
            throw new InvalidOperationException(result.Error ?? "the gateway refused team/list");
        }
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var team in result.Body as JsonArray ?? [])
        {
            if (team is JsonObject o && LimitsForm.Text(o["team_id"]) is { } id && LimitsForm.Text(o["team_alias"]) is { Length: > 0 } alias)
            {
                aliases[id] = alias;
            }
        }
        return aliases;
    }
}
