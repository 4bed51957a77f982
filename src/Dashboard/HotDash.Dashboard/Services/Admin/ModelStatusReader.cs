using HotDash.Dashboard.Hosting;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;
using Microsoft.Extensions.Options;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>Reads the configured deployments with their prices and each one's <see cref="IDeploymentHealthGrain"/>.</summary>
public sealed class ModelStatusReader(HotDashConfig config, IClusterClient client, IOptions<HotDashDashboardOptions> options, TimeProvider time)
{
    /// <summary>Every deployment of <c>model_list</c>, in config order; health null where the cluster did not answer.</summary>
    public async Task<IReadOnlyList<ModelStatus>> ReadAsync(CancellationToken ct = default)
    {
        var reads = config.ModelList.Select(async d => new ModelStatus(d, PriceTable.For(d), await HealthAsync(d.Id, ct)));
        return await Task.WhenAll(reads);
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
