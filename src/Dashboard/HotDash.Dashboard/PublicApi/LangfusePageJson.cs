using System.Text.Json;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's paged answer: <c>{"data":[...],"meta":{"page","limit","totalItems","totalPages"}}</c>.</summary>
internal static class LangfusePageJson
{
    public static IResult Page<T>(IReadOnlyList<T> items, long totalItems, int page, int limit, Action<Utf8JsonWriter, T> writeItem) =>
        new LangfuseJsonResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var item in items)
            {
                writeItem(w, item);
            }
            w.WriteEndArray();
            w.WriteStartObject("meta");
            w.WriteNumber("page", page);
            w.WriteNumber("limit", limit);
            w.WriteNumber("totalItems", totalItems);
            w.WriteNumber("totalPages", (totalItems + limit - 1) / limit);
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
