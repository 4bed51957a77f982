namespace HotDash.Api.Tests.Gateway;

public sealed class BodyRewriterTests
{
    private const string Messages = """[{"role":"user","content":"Hello, world"}]""";

    /// <summary>Runs the inspector and the rewriter as the pipeline does; null when the body is forwarded as it is.</summary>
    private static string? Rewrite(string json, string upstreamModel, EndpointKind kind = EndpointKind.ChatCompletions)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var info = RequestInspector.Inspect(bytes, kind);
        Assert.True(info.IsValid, info.ErrorMessage);
        using var body = BodyRewriter.Rewrite(bytes, info, upstreamModel);
        return body is null ? null : Encoding.UTF8.GetString(body.Span);
    }

    private static JsonElement Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement; // throws when the output is not valid JSON
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        return root;
    }

    [Fact]
    public void Rewrite_SameModelNoGatewayFields_ForwardsBodyUntouched()
    {
        Assert.Null(Rewrite("""{"model":"gpt-4o","messages":""" + Messages + "}", "gpt-4o"));
    }

    [Fact]
    public void Rewrite_DifferentUpstreamModel_SwapsOnlyTheModelToken()
    {
        const string json = """{ "temperature" : 0.70, "model" : "public-name", "messages":[{"role":"user","content":"x"}], "n":1 }""";

        var output = Rewrite(json, "upstream/real-name");

        Assert.Equal(json.Replace("\"public-name\"", "\"upstream/real-name\"", StringComparison.Ordinal), output);
    }

    [Fact]
    public void Rewrite_UpstreamModelNeedingEscapes_IsWrittenAsValidJsonString()
    {
        var output = Rewrite("""{"model":"m","messages":""" + Messages + "}", "we\"ird\\name");

        Assert.Equal("we\"ird\\name", Parse(output!).GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("""{"mock_response":null,"model":"m","messages":[{"role":"user","content":"x"}]}""", """{"model":"u","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"m","metadata":{"trace":"t"},"messages":[{"role":"user","content":"x"}]}""", """{"model":"u","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"metadata":{"trace":"t"}}""", """{"model":"u","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"caching":true,"num_retries":3}""", """{"model":"u","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("{\n  \"model\": \"m\",\n  \"metadata\": {},\n  \"messages\": []\n}", "{\n  \"model\": \"u\",\n  \"messages\": []\n}")]
    public void Rewrite_GatewayOnlyPropertyFirstMiddleOrLast_IsCutAndTheRestKept(string json, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var info = RequestInspector.Inspect(bytes, EndpointKind.Completions); // no messages rule: lets "messages": [] through
        using var body = BodyRewriter.Rewrite(bytes, info, "u");

        var output = Encoding.UTF8.GetString(body!.Span);

        Assert.Equal(expected, output);
        Parse(output);
    }

    [Fact]
    public void Rewrite_SameModelWithMetadata_CutsMetadataOnly()
    {
        var output = Rewrite("""{"model":"m","messages":""" + Messages + ""","metadata":{"a":1}}""", "m");

        Assert.Equal("""{"model":"m","messages":""" + Messages + "}", output);
    }

    [Fact]
    public void Rewrite_FirstPropertyWhoseValueHasCommas_StaysValidJson()
    {
        // A metadata object with several keys is the usual LiteLLM shape (trace ids, tags, user).
        var json = """{"metadata":{"user":"a","session":"b"},"model":"m","messages":""" + Messages + "}";

        var output = Rewrite(json, "u");

        Assert.Equal("""{"model":"u","messages":""" + Messages + "}", output);
    }

    [Fact]
    public void Rewrite_TwoGatewayOnlyPropertiesAtTheStart_BothAreCut()
    {
        var json = """{"metadata":{},"caching":true,"model":"m","messages":""" + Messages + "}";

        var output = Rewrite(json, "u");

        Assert.Equal("""{"model":"u","messages":""" + Messages + "}", output);
    }

    [Fact]
    public void Rewrite_UnknownFields_AreByteIdentical()
    {
        const string odd = "\"x_vendor\":{\"nested\":[1, 2.50, \"é\\u00e9\", {\"deep\":null}],\"flag\":false}";
        var json = "{\"model\":\"m\"," + odd + ",\"metadata\":{\"k\":\"v\"},\"messages\":" + Messages + ",\"temperature\":1.0e0}";

        var output = Rewrite(json, "upstream")!;

        Assert.Contains(odd, output, StringComparison.Ordinal);
        Assert.Contains("\"temperature\":1.0e0", output, StringComparison.Ordinal);
        Assert.Contains($"\"messages\":{Messages}", output, StringComparison.Ordinal);
        var root = Parse(output);
        Assert.False(root.TryGetProperty("metadata", out _));
        Assert.Equal("upstream", root.GetProperty("model").GetString());
    }

    [Fact]
    public void Rewrite_EveryGatewayOnlyField_IsRemoved()
    {
        string[] fields = ["metadata", "litellm_metadata", "caching", "cache", "num_retries", "fallbacks", "context_window_fallbacks",
            "guardrails", "litellm_session_id", "litellm_trace_id", "mock_testing_fallbacks"];
        var json = "{\"model\":\"m\"," + string.Join(",", fields.Select((f, i) => $"\"{f}\":{i}")) + $",\"messages\":{Messages}}}";

        var output = Rewrite(json, "m")!;

        var names = Parse(output).EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["model", "messages"], names);
    }

    [Fact]
    public void Rewrite_EmbeddingsBody_SwapsModelAndKeepsInput()
    {
        const string json = """{"input":["a","b"],"model":"emb","encoding_format":"base64","metadata":{"x":1}}""";

        var output = Rewrite(json, "text-embedding-3-small", EndpointKind.Embeddings);

        Assert.Equal("""{"input":["a","b"],"model":"text-embedding-3-small","encoding_format":"base64"}""", output);
    }
}
