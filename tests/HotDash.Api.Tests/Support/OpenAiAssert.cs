namespace HotDash.Api.Tests.Support;

/// <summary>Assertions on the OpenAI wire format.</summary>
internal static class OpenAiAssert
{
    /// <summary>
    /// Asserts an error response: the status, <c>application/json</c>, and exactly
    /// <c>{"error":{"message","type","param","code"}}</c> with code the status as a string. Returns the error object.
    /// </summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? param = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = ErrorShape(text, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        return error;
    }

    /// <summary>Checks the shape of an error document and returns its error object.</summary>
    public static JsonElement ErrorShape(string json, string code)
    {
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var top = root.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["error"], top);
        var error = root.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.Contains(error.GetProperty("param").ValueKind, new[] { JsonValueKind.Null, JsonValueKind.String });
        Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        Assert.Equal(code, error.GetProperty("code").GetString());
        return error.Clone();
    }

    /// <summary>
    /// Splits an SSE body into its <c>data:</c> payloads, asserting OpenAI's exact framing: every event is
    /// <c>data: PAYLOAD\n\n</c> and nothing else is on the wire.
    /// </summary>
    public static List<string> SseEvents(string body)
    {
        var events = new List<string>();
        var position = 0;
        while (position < body.Length)
        {
            Assert.True(body.AsSpan(position).StartsWith("data: "), $"expected 'data: ' at {position} in: {body}");
            var end = body.IndexOf("\n\n", position, StringComparison.Ordinal);
            Assert.True(end > 0, $"unterminated event at {position} in: {body}");
            var payload = body[(position + 6)..end];
            Assert.DoesNotContain('\n', payload);
            Assert.DoesNotContain('\r', payload);
            events.Add(payload);
            position = end + 2;
        }
        return events;
    }

    /// <summary>Asserts the LiteLLM success headers: call id, deployment id, api base (when given), durations.</summary>
    public static void LiteLlmHeaders(HttpResponseMessage response, string modelId, string? apiBase)
    {
        static string One(HttpResponseMessage r, string name) =>
            Assert.Single(r.Headers.TryGetValues(name, out var v) ? v : throw new Xunit.Sdk.XunitException($"missing header {name}"));

        Assert.True(Guid.TryParse(One(response, "x-litellm-call-id"), out _));
        Assert.Equal(modelId, One(response, "x-litellm-model-id"));
        if (apiBase is not null)
        {
            Assert.Equal(apiBase, One(response, "x-litellm-model-api-base"));
        }
        var total = double.Parse(One(response, "x-litellm-response-duration-ms"), System.Globalization.CultureInfo.InvariantCulture);
        var overhead = double.Parse(One(response, "x-litellm-overhead-duration-ms"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(total, 0, 30_000);
        Assert.InRange(overhead, 0, total);
    }
}
