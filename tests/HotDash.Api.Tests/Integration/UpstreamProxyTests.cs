using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Integration;

/// <summary>Successful calls through the gateway to an OpenAI-compatible upstream, with the official .NET SDK and raw HTTP.</summary>
public sealed class UpstreamProxyTests(UpstreamGatewayFixture fixture) : IClassFixture<UpstreamGatewayFixture>
{
    [Fact]
    public async Task ChatCompletions_ThroughSdk_ReturnsTheUpstreamAnswer()
    {
        ChatCompletion completion = await fixture.Chat("fake-chat").CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.Equal(FakeUpstream.Reply, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(FakeUpstream.PromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(FakeUpstream.PromptTokens + FakeUpstream.StreamPieces.Length, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task ChatCompletions_ThroughSdk_SendsUpstreamModelNameAndUpstreamKey()
    {
        await fixture.Chat("fake-chat", key: "sk-client-key-not-for-upstream").CompleteChatAsync([new UserChatMessage("Who am I talking to?")]);

        var seen = fixture.Fake.LastFor("gpt-fake-echo");
        Assert.NotNull(seen);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("gpt-fake-echo", seen.Json.GetProperty("model").GetString());
        Assert.Equal("Bearer " + UpstreamGatewayFixture.UpstreamKey, seen.Headers["Authorization"]);
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains("sk-client-key-not-for-upstream", StringComparison.Ordinal));
        Assert.Equal("Who am I talking to?", seen.Json.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ChatCompletions_GatewayOnlyFields_AreStrippedAndUnknownFieldsPassedThroughByteForByte()
    {
        const string unknown = "\"x_vendor_option\":{\"list\":[1, 2.50, \"é\"],\"deep\":{\"null\":null}}";
        var body = "{\"metadata\":{\"user\":\"u1\"},\"model\":\"fake-chat\",\"mock_response\":null," + unknown
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.25,\"caching\":false}";

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = fixture.Fake.LastFor("gpt-fake-echo")!;
        Assert.Contains(unknown, seen.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"temperature\":0.25", seen.BodyText, StringComparison.Ordinal);
        var names = seen.Json.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["model", "x_vendor_option", "messages", "temperature"], names);
        Assert.Equal("gpt-fake-echo", seen.Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ChatCompletions_MetadataFirstWithSeveralKeys_ReachesUpstreamAsValidJson()
    {
        // LiteLLM clients commonly send metadata (trace id, tags, user) ahead of the model.
        const string body = """{"metadata":{"trace_id":"t-1","tags":["a","b"]},"model":"fake-chat","messages":[{"role":"user","content":"hi"}]}""";

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var seen = fixture.Fake.LastFor("gpt-fake-echo")!;
        Assert.Equal(["model", "messages"], seen.Json.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task ChatCompletions_ModelGroupAlias_RoutesToTheAliasedGroupButIsNotListed()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"fake-alias","messages":[{"role":"user","content":"via alias"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fake-chat-id", Assert.Single(response.Headers.GetValues("x-litellm-model-id")));
        Assert.Equal("via alias", fixture.Fake.LastFor("gpt-fake-echo")!.Json.GetProperty("messages")[0].GetProperty("content").GetString());
        using var models = await fixture.Client.GetAsync("/v1/models");
        Assert.DoesNotContain("fake-alias", await models.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChatCompletions_MockResponseOnUpstreamModel_IsAnsweredByTheGatewayWithoutCallingUpstream()
    {
        var before = fixture.Fake.CountFor("gpt-fake-echo");

        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"fake-chat","mock_response":"Canned answer.","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Canned answer.", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("fake-chat", json.GetProperty("model").GetString());
        Assert.Equal(before, fixture.Fake.CountFor("gpt-fake-echo"));
    }

    [Fact]
    public async Task ChatCompletions_StreamWithIncludeUsage_EndsWithUsageChunkAndDone()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var updates = 0;

        await foreach (var update in fixture.Chat("fake-chat").CompleteChatStreamingAsync([new UserChatMessage("Stream please")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
        }

        Assert.Equal(string.Concat(FakeUpstream.StreamPieces), text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(FakeUpstream.PromptTokens, usage.InputTokenCount);
        Assert.Equal(FakeUpstream.StreamPieces.Length, usage.OutputTokenCount);
        Assert.True(updates >= FakeUpstream.StreamPieces.Length);
        // The SDK asked for usage; the gateway forwarded the request unchanged but for the model name.
        var seen = fixture.Fake.LastFor("gpt-fake-echo")!;
        Assert.True(seen.Json.GetProperty("stream").GetBoolean());
        Assert.True(seen.Json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task ChatCompletions_StreamRawHttp_IsExactOpenAiFramingOfTheUpstreamEvents()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonBody.Of("""{"model":"fake-chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""),
        };
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var expected = FakeUpstream.ChatStreamEvents("gpt-fake-echo", includeUsage: true).Select(e => $"data: {e}\n\n");
        Assert.Equal(string.Concat(expected) + "data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamStreamWithCrLfAndComments_IsReframedAsOpenAiSse()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"fake-crlf","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        var expected = FakeUpstream.ChatStreamEvents("crlf-chat", includeUsage: false).Append("[DONE]");
        Assert.Equal(expected, events);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamStreamWithoutDone_StillEndsWithDone()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"fake-nodone","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(FakeUpstream.ChatStreamEvents("nodone-chat", includeUsage: false).Count + 1, events.Count);
    }

    [Fact]
    public async Task Completions_RawHttp_ReturnsTheUpstreamTextCompletion()
    {
        using var response = await fixture.Client.PostAsync("/v1/completions", JsonBody.Of("""{"model":"fake-chat","prompt":"Say hi","max_tokens":5}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.Equal(FakeUpstream.Reply, json.GetProperty("choices")[0].GetProperty("text").GetString());
        var seen = fixture.Fake.LastFor("gpt-fake-echo")!;
        Assert.Equal("/v1/completions", seen.Path);
        Assert.Equal("Say hi", seen.Json.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task Completions_Streamed_RelaysEveryChunkAndDone()
    {
        using var response = await fixture.Client.PostAsync("/v1/completions", JsonBody.Of("""{"model":"fake-chat","prompt":"Say hi","stream":true}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var text = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(string.Concat(FakeUpstream.StreamPieces), text);
    }

    [Fact]
    public async Task Embeddings_ThroughSdk_ReturnsTheUpstreamVectors()
    {
        var result = await fixture.Embeddings("fake-embedding").GenerateEmbeddingsAsync(["first", "second"]);

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(FakeUpstream.Vector(0), result.Value[0].ToFloats().ToArray());
        Assert.Equal(FakeUpstream.Vector(1), result.Value[1].ToFloats().ToArray());
        var seen = fixture.Fake.LastFor("text-embedding-fake")!;
        Assert.Equal("/v1/embeddings", seen.Path);
        Assert.Equal(["first", "second"], seen.Json.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("float")]
    [InlineData("base64")]
    public async Task Embeddings_EncodingFormat_IsForwardedAndAnsweredInThatFormat(string format)
    {
        using var response = await fixture.Client.PostAsync("/v1/embeddings",
            JsonBody.Of($$"""{"model":"fake-embedding","input":"hello","encoding_format":"{{format}}"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var embedding = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("embedding");
        var vector = format == "base64"
            ? MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(embedding.GetString()!)).ToArray()
            : embedding.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(FakeUpstream.Vector(0), vector);
        Assert.Equal(format, fixture.Fake.LastFor("text-embedding-fake")!.Json.GetProperty("encoding_format").GetString());
    }

    [Fact]
    public async Task ChatCompletions_Success_CarriesLiteLlmResponseHeaders()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"fake-chat","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OpenAiAssert.LiteLlmHeaders(response, "fake-chat-id", fixture.Fake.ApiBase);
    }

    [Fact]
    public async Task ChatCompletions_StreamSuccess_CarriesLiteLlmResponseHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonBody.Of("""{"model":"fake-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
        };
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        OpenAiAssert.LiteLlmHeaders(response, "fake-chat-id", fixture.Fake.ApiBase);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Embeddings_Success_CarriesLiteLlmResponseHeaders()
    {
        using var response = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of("""{"model":"fake-embedding","input":"x"}"""));

        OpenAiAssert.LiteLlmHeaders(response, "fake-embedding-id", fixture.Fake.ApiBase);
    }

    [Theory]
    [InlineData("/chat/completions", """{"model":"fake-chat","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/completions", """{"model":"fake-chat","prompt":"hi"}""")]
    [InlineData("/embeddings", """{"model":"fake-embedding","input":"hi"}""")]
    public async Task Routes_WithoutV1Prefix_AreServedLikeV1(string path, string body)
    {
        using var response = await fixture.Client.PostAsync(path, JsonBody.Of(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Models_ThroughSdk_ListsEveryModelGroupOnce()
    {
        var models = await fixture.Models().GetModelsAsync();

        var ids = models.Value.Select(m => m.Id).ToArray();
        Assert.Equal(["fake-chat", "fake-crlf", "fake-nodone", "fake-embedding", "fake-429", "fake-500", "fake-400", "fake-slow",
            "fake-break", "fake-slow-stream", "fake-down", "retry-group"], ids);
        Assert.All(models.Value, m => Assert.Equal("openai", m.OwnedBy));
    }

    [Fact]
    public async Task Models_ByIdThroughSdk_ReturnsTheModel()
    {
        var model = await fixture.Models().GetModelAsync("retry-group");

        Assert.Equal("retry-group", model.Value.Id);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/models")]
    public async Task Models_RawHttp_IsAnOpenAiList(string path)
    {
        using var response = await fixture.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.All(json.GetProperty("data").EnumerateArray(), m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 1_600_000_000);
        });
    }

    [Theory]
    [InlineData("/v1/models/fake-chat")]
    [InlineData("/models/fake-chat")]
    public async Task Models_ById_ReturnsOneModelObject(string path)
    {
        using var response = await fixture.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("fake-chat", json.GetProperty("id").GetString());
        Assert.Equal("model", json.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Models_UnknownId_Is404WithOpenAiError()
    {
        using var response = await fixture.Client.GetAsync("/v1/models/no-such-model");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "model");
        Assert.Contains("no-such-model", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ClientSendsCharsetAndNoAccept_IsStillAccepted()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"model":"fake-chat","messages":[{"role":"user","content":"hi"}]}"""));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
