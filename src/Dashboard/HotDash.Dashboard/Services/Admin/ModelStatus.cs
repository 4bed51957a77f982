using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>One deployment of <c>model_list</c> with its price and its health as the cluster sees it.</summary>
/// <param name="Deployment">The configured deployment.</param>
/// <param name="Price">Its price (the config's own costs, else the price table, else free).</param>
/// <param name="Health">Its <see cref="IDeploymentHealthGrain"/> state; null when the cluster did not answer.</param>
public sealed record ModelStatus(ModelDeployment Deployment, ModelPrice Price, DeploymentHealth? Health)
{
    /// <summary>Its requests and latency over <see cref="ModelStatusReader.LatencyWindow"/>; null when the analytics store could not say.</summary>
    public DeploymentLatency? Latency { get; init; }

    /// <summary>Why <see cref="Latency"/> is null.</summary>
    public string? LatencyUnavailable { get; init; }

    /// <summary>True while the deployment is cooling down at <paramref name="now"/>.</summary>
    public bool CoolingDown(DateTimeOffset now) => Health?.CooldownUntil is { } until && until > now;
}
