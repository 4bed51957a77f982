using System.Net;
using HotDash.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Cluster;

/// <summary>
/// Reads the cluster through <see cref="IManagementGrain"/>: membership (via <see cref="ClusterStatusService"/>), then,
/// for the active silos, their runtime statistics and activation counts per grain type, both in parallel. Every call is
/// bounded by <see cref="HotDashDashboardOptions.ClusterCallTimeout"/>; a failure of the statistics keeps the silo list.
/// </summary>
public sealed class ClusterOverviewReader(
    IClusterClient client,
    ClusterStatusService status,
    IOptions<HotDashDashboardOptions> options,
    TimeProvider time,
    ILogger<ClusterOverviewReader> logger) : IClusterOverviewSource
{
    private readonly TimeSpan _timeout = options.Value.ClusterCallTimeout;

    // 1 read, 0 failed, -1 not yet known: logs the changes, not every refresh.
    private int _lastStatisticsState = -1;

    /// <inheritdoc />
    public async Task<ClusterOverview> ReadClusterAsync(CancellationToken cancellationToken = default)
    {
        var membership = await status.GetClusterAsync(cancellationToken);
        if (!membership.IsReachable)
        {
            return ClusterOverview.Unreachable(membership.Error ?? "unknown error", membership.TakenAt);
        }
        var active = membership.Silos.Where(s => s.IsActive).Select(s => (View: s, Address: ToAddress(s))).Where(s => s.Address is not null).ToArray();
        if (active.Length == 0)
        {
            return ClusterOverview.Build(membership.Silos, new Dictionary<(string, int), SiloRuntimeView>(), [], membership.TakenAt);
        }
        var addresses = active.Select(s => s.Address!).ToArray();
        var management = client.GetGrain<IManagementGrain>(0);
        var runtimeCall = management.GetRuntimeStatistics(addresses).WaitAsync(_timeout, time, cancellationToken);
        var grainsCall = management.GetSimpleGrainStatistics(addresses).WaitAsync(_timeout, time, cancellationToken);
        var errors = new List<string>(2);
        var runtime = new Dictionary<(string, int), SiloRuntimeView>();
        try
        {
            // The answer lists the silos in the order asked.
            var stats = await runtimeCall;
            for (var i = 0; i < Math.Min(stats.Length, active.Length); i++)
            {
                if (stats[i] is { } s)
                {
                    runtime[(active[i].View.Address, active[i].View.Generation)] = SiloRuntimeView.From(s);
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add("runtime statistics: " + status.Describe(e));
        }
        IReadOnlyList<GrainActivationCount> counts = [];
        try
        {
            counts = [.. (await grainsCall).Select(GrainActivationCount.From)];
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add("grain statistics: " + status.Describe(e));
        }
        var error = errors.Count == 0 ? null : string.Join("; ", errors);
        Report(error);
        return ClusterOverview.Build(membership.Silos, runtime, counts, time.GetUtcNow(), error);
    }

    /// <inheritdoc />
    public Task<GatewayRegistrySnapshot> ReadGatewaysAsync(CancellationToken cancellationToken = default) => status.GetGatewaysAsync(cancellationToken);

    private void Report(string? error)
    {
        if (error is null)
        {
            if (Interlocked.Exchange(ref _lastStatisticsState, 1) == 0)
            {
                ClusterLog.StatisticsAvailable(logger);
            }
        }
        else if (Interlocked.Exchange(ref _lastStatisticsState, 0) != 0)
        {
            ClusterLog.StatisticsUnavailable(logger, error);
        }
    }

    // SiloView keeps the endpoint as text (it must serialise); the management grain wants the address back.
    private static SiloAddress? ToAddress(SiloView silo) =>
        IPEndPoint.TryParse(silo.Address, out var endpoint) ? SiloAddress.New(endpoint, silo.Generation) : null;
}
