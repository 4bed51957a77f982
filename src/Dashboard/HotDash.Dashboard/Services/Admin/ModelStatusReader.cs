using System.Collections.Immutable;
using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// Reads the configured deployments with their prices, each one's <see cref="IDeploymentHealthGrain"/> and their recent
/// latency (one <see cref="IAnalyticsQueryGrain.QueryUsageOverview"/> over the gateway's trace project, by deployment).
/// Every read is bounded; a source that fails leaves its part null with the reason, never an error page.
/// </summary>
public sealed class ModelStatusReader(HotDashConfig config, IClusterClient client, IOptions<HotDashDashboardOptions> options, TimeProvider time)
{
    /// <summary>How far back the recent latency looks.</summary>
    public static readonly TimeSpan LatencyWindow = TimeSpan.FromHours(1);

    /// <summary>Every deployment of <c>model_list</c>, in config order; health null where the cluster did not answer.</summary>
    public async Task<IReadOnlyList<ModelStatus>> ReadAsync(CancellationToken ct = default)
    {
        var query = LatencyQuery(config, time.GetUtcNow());
        var overview = OverviewAsync(query, ct);
        var reads = config.ModelList.Select(async d => new ModelStatus(d, PriceTable.For(d), await HealthAsync(d.Id, ct)));
        var statuses = await Task.WhenAll(reads);
        var (answer, error) = await overview;
        return WithLatency(statuses, answer, error, query.Top, config.HotDash.Tracing.Enabled);
    }

    /// <summary>
    /// The usage overview the latency comes from: the gateway's trace project (<c>hotdash.tracing.project_id</c>), the
    /// last <see cref="LatencyWindow"/> in one bucket, enough breakdown rows for every configured deployment.
    /// </summary>
    public static UsageOverviewQuery LatencyQuery(HotDashConfig config, DateTimeOffset now)
    {
        var to = now.ToUnixTimeMilliseconds();
        var window = (long)LatencyWindow.TotalMilliseconds;
        // Deployments no longer configured may still have rows; the margin keeps them from pushing configured ones out.
        return new UsageOverviewQuery(config.HotDash.Tracing.ProjectId, to - window, to, window) { Top = config.ModelList.Count + 20 };
    }

    /// <summary>
    /// Attaches each deployment's row of <paramref name="overview"/> (<see cref="UsageOverview.ByDeployment"/>, by
    /// deployment id): none means no requests, unless the breakdown was cut at <paramref name="top"/> rows; no overview
    /// means unavailable, for <paramref name="error"/>.
    /// </summary>
    public static IReadOnlyList<ModelStatus> WithLatency(IReadOnlyList<ModelStatus> statuses, UsageOverview? overview, string? error, int top, bool tracingEnabled)
    {
        if (overview is null)
        {
            return [.. statuses.Select(s => s with { Latency = null, LatencyUnavailable = error ?? "the analytics store did not answer" })];
        }
        ImmutableArray<UsageGroup> rows = overview.ByDeployment.IsDefault ? [] : overview.ByDeployment;
        var byId = rows.GroupBy(g => g.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Totals, StringComparer.Ordinal);
        var truncated = rows.Length >= top;
        return [.. statuses.Select(s => byId.TryGetValue(s.Deployment.Id, out var totals)
            ? s with { Latency = DeploymentLatency.From(totals), LatencyUnavailable = null }
            : truncated
                ? s with { Latency = null, LatencyUnavailable = $"not among the {top} busiest deployments of the last hour" }
                : tracingEnabled
                    ? s with { Latency = DeploymentLatency.None, LatencyUnavailable = null }
                    : s with { Latency = null, LatencyUnavailable = "tracing is off (hotdash.tracing.enabled), so requests are not recorded" })];
    }

    private async Task<(UsageOverview? Overview, string? Error)> OverviewAsync(UsageOverviewQuery query, CancellationToken ct)
    {
        var timeout = options.Value.ClusterCallTimeout * 3;
        try
        {
            // Analytics reads scan rows, so they get more time than a grain lookup (as TraceQueryService allows).
            var overview = await client.GetGrain<IAnalyticsQueryGrain>(IAnalyticsQueryGrain.DefaultKey).QueryUsageOverview(query).WaitAsync(timeout, time, ct);
            return (overview, null);
        }
        catch (TimeoutException)
        {
            return (null, $"the analytics store did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (null, $"the analytics store failed ({e.GetType().Name}: {e.Message})");
        }
    }

    private async Task<DeploymentHealth?> HealthAsync(string deploymentId, CancellationToken ct)
    {
        try
        {
            return await client.GetGrain<IDeploymentHealthGrain>(deploymentId).GetHealth().WaitAsync(options.Value.ClusterCallTimeout, time, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
