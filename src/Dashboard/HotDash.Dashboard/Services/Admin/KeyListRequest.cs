using System.Globalization;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// One page of the gateway's <c>GET /key/list</c> (LiteLLM's paging: 1-based <c>page</c>, <c>size</c> at most
/// <see cref="MaxSize"/>; filters exact, as the gateway matches them), always with the full key objects.
/// </summary>
/// <param name="Page">The page, from 1.</param>
/// <param name="Size">Keys per page.</param>
public sealed record KeyListRequest(int Page, int Size)
{
    /// <summary>The gateway's largest page.</summary>
    public const int MaxSize = 100;

    /// <summary>Only the keys of this team.</summary>
    public string? TeamId { get; init; }

    /// <summary>Only the keys of this user.</summary>
    public string? UserId { get; init; }

    /// <summary>Only the keys with this alias.</summary>
    public string? KeyAlias { get; init; }

    /// <summary>The query string's parameters: page and size clamped to what the gateway accepts, blank filters left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Query() =>
    [
        new("return_full_object", "true"),
        new("page", Math.Max(1, Page).ToString(CultureInfo.InvariantCulture)),
        new("size", Math.Clamp(Size, 1, MaxSize).ToString(CultureInfo.InvariantCulture)),
        new("team_id", LimitsForm.Blank(TeamId)),
        new("user_id", LimitsForm.Blank(UserId)),
        new("key_alias", LimitsForm.Blank(KeyAlias)),
    ];
}
