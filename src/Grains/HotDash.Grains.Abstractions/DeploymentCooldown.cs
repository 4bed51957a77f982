namespace HotDash.Grains;

/// <summary>A deployment that routers should skip until <see cref="Until"/>.</summary>
[GenerateSerializer, Alias("hotdash.DeploymentCooldown")]
public sealed record DeploymentCooldown(
    [property: Id(0)] string DeploymentId,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] string Reason);
