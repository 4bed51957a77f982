using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>The gateway's answer to <c>GET /key/list?return_full_object=true</c>: one page of key objects, newest first.</summary>
/// <param name="Keys">The page's keys.</param>
/// <param name="TotalCount">Keys matching the filters on all pages.</param>
/// <param name="CurrentPage">The page answered, from 1.</param>
/// <param name="TotalPages">Pages at the requested size.</param>
public sealed record KeyListPage(IReadOnlyList<JsonObject> Keys, long TotalCount, int CurrentPage, int TotalPages)
{
    /// <summary>The page in <paramref name="body"/>; null when it is not a key list.</summary>
    public static KeyListPage? Parse(JsonNode? body)
    {
        if (body is not JsonObject o || o["keys"] is not JsonArray list)
        {
            return null;
        }
        JsonObject[] keys = [.. list.OfType<JsonObject>()];
        return new KeyListPage(
            keys,
            Long(o["total_count"]) ?? keys.Length,
            (int)(Long(o["current_page"]) ?? 1),
            (int)(Long(o["total_pages"]) ?? 1));
    }

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
