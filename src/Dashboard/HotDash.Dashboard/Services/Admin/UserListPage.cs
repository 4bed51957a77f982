using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>The gateway's answer to <c>GET /user/list</c>: one page of user objects, newest first.</summary>
/// <param name="Users">The page's users (each with LiteLLM's <c>key_count</c>).</param>
/// <param name="Total">Users matching the filters on all pages.</param>
/// <param name="Page">The page answered, from 1.</param>
/// <param name="TotalPages">Pages at the requested size.</param>
public sealed record UserListPage(IReadOnlyList<JsonObject> Users, long Total, int Page, int TotalPages)
{
    /// <summary>The page in <paramref name="body"/>; null when it is not a user list.</summary>
    public static UserListPage? Parse(JsonNode? body)
    {
        if (body is not JsonObject o || o["users"] is not JsonArray list)
        {
            return null;
        }
        JsonObject[] users = [.. list.OfType<JsonObject>()];
        return new UserListPage(users, Long(o["total"]) ?? users.Length, (int)(Long(o["page"]) ?? 1), (int)(Long(o["total_pages"]) ?? 1));
    }

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
