namespace HotDash.Grains;

/// <summary>One entry of a team's <c>members_with_roles</c>.</summary>
/// <param name="UserId"><c>user_id</c>.</param>
/// <param name="UserEmail"><c>user_email</c>, when known.</param>
/// <param name="Role"><c>admin</c> or <c>user</c>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.TeamMember")]
public sealed record TeamMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] string? UserEmail,
    [property: Id(2)] string Role);
