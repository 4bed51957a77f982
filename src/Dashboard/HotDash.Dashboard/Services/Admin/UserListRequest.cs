using System.Globalization;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// One page of the gateway's <c>GET /user/list</c> (LiteLLM's paging: 1-based <c>page</c>, <c>page_size</c> at most
/// <see cref="MaxSize"/>; filters as the gateway matches them: ids exact, role exact, team by membership).
/// </summary>
/// <param name="Page">The page, from 1.</param>
/// <param name="Size">Users per page.</param>
public sealed record UserListRequest(int Page, int Size)
{
    /// <summary>The gateway's largest page.</summary>
    public const int MaxSize = 100;

    /// <summary>Only these users: one id or several, comma separated (<c>user_ids</c>).</summary>
    public string? UserIds { get; init; }

    /// <summary>Only users with this <c>user_role</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Only members of this team (<c>team</c>).</summary>
    public string? TeamId { get; init; }

    /// <summary>The query string's parameters: page and size clamped to what the gateway accepts, blank filters left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Query() =>
    [
        new("page", Math.Max(1, Page).ToString(CultureInfo.InvariantCulture)),
        new("page_size", Math.Clamp(Size, 1, MaxSize).ToString(CultureInfo.InvariantCulture)),
        new("user_ids", LimitsForm.Blank(UserIds)),
        new("role", LimitsForm.Blank(Role)),
        new("team", LimitsForm.Blank(TeamId)),
    ];
}
