namespace HotDash.Grains;

/// <summary>
/// Health of one model deployment (key: the deployment id), shared by every gateway: after
/// <c>allowed_fails</c> failures within a minute the deployment cools down for <c>cooldown_time</c>.
/// </summary>
public interface IDeploymentHealthGrain : IGrainWithStringKey
{
    /// <summary>Records a failed call; returns the cooldown now in force, if any.</summary>
    Task<DeploymentCooldown?> ReportFailure(DeploymentFailure failure);

    /// <summary>The deployment's recent failures and cooldown.</summary>
    Task<DeploymentHealth> GetHealth();
}
