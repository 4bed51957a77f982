namespace HotDash.Grains;

/// <summary>One failed upstream call, with the router settings that judge it.</summary>
[GenerateSerializer, Alias("hotdash.DeploymentFailure")]
public sealed record DeploymentFailure(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string Message,
    [property: Id(2)] int AllowedFails,
    [property: Id(3)] TimeSpan CooldownTime);
