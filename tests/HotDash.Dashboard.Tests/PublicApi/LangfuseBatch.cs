using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>Builds Langfuse ingestion batches as the SDKs send them, and reads answers back.</summary>
internal static class LangfuseBatch
{
    public static string NewId() => Guid.NewGuid().ToString();

    /// <summary>An envelope <c>{"id","timestamp","type","body"}</c> with a fresh id.</summary>
    public static JsonObject Event(string type, JsonObject body, DateTimeOffset? at = null) => new()
    {
        ["id"] = NewId(),
        ["timestamp"] = Iso(at ?? DateTimeOffset.UtcNow),
        ["type"] = type,
        ["body"] = body,
    };

    public static StringContent Content(params JsonNode[] events) =>
        new(new JsonObject { ["batch"] = new JsonArray(events) }.ToJsonString(), Encoding.UTF8, "application/json");

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// GETs <paramref name="path"/> until <paramref name="done"/> holds for a 200 answer (the pipeline writes within its
    /// flush interval), or fails after 15 s with the last answer.
    /// </summary>
    public static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var last = "";
        while (true)
        {
            using var response = await client.GetAsync(path);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var json = await JsonAsync(response);
                if (done(json))
                {
                    return json;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GET {path} did not reach the expected state within 15 s; last answer: {last}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Polls <c>GET /api/public/traces/{id}</c> (404 until the pipeline has written it).</summary>
    public static Task<JsonElement> PollTraceAsync(HttpClient client, string traceId, Func<JsonElement, bool>? done = null) =>
        PollAsync(client, $"/api/public/traces/{traceId}", done ?? (_ => true));
}
