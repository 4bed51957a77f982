namespace HotDash.Grains;

/// <summary>A deployment's failures in the last minute and its cooldown, if any.</summary>
[GenerateSerializer, Alias("hotdash.DeploymentHealth")]
public sealed record DeploymentHealth(
    [property: Id(0)] string DeploymentId,
    [property: Id(1)] int RecentFailures,
    [property: Id(2)] DateTimeOffset? CooldownUntil,
    [property: Id(3)] string? LastError);
