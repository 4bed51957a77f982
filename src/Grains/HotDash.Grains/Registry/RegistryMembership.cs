namespace HotDash.Grains.Registry;

/// <summary>One team membership in the embedded registry (LiteLLM's <c>LiteLLM_TeamMembership</c>).</summary>
/// <param name="TeamId"><c>team_id</c>.</param>
/// <param name="UserId"><c>user_id</c>.</param>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
/// <param name="Spend">The user's spend within the team (USD).</param>
/// <param name="CreatedAt">When the user joined the team.</param>
[GenerateSerializer, Immutable, Alias("hotdash.RegistryMembership")]
public sealed record RegistryMembership(
    [property: Id(0)] string TeamId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string Role,
    [property: Id(3)] decimal Spend,
    [property: Id(4)] DateTimeOffset CreatedAt);
