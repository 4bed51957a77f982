namespace HotDash.Grains;

/// <summary>
/// A page of <c>/user/list</c>: filters (all optional, combined with and, as LiteLLM applies them) and the 1-based page.
/// </summary>
/// <param name="UserIds">Only these users (<c>user_ids</c>); empty or default: every user.</param>
/// <param name="UserRole">Only users with this <c>user_role</c> (<c>role</c>).</param>
/// <param name="TeamId">Only members of this team (<c>team</c>).</param>
/// <param name="Page">The page, from 1.</param>
/// <param name="PageSize">Users per page.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UserListQuery")]
public sealed record UserListQuery(
    [property: Id(0)] ImmutableArray<string> UserIds,
    [property: Id(1)] string? UserRole,
    [property: Id(2)] string? TeamId,
    [property: Id(3)] int Page,
    [property: Id(4)] int PageSize)
{
    /// <summary>Only users whose <c>user_email</c> contains this text, ignoring case (LiteLLM's <c>user_email</c> filter).</summary>
    [Id(5)] public string? UserEmail { get; init; }
}
