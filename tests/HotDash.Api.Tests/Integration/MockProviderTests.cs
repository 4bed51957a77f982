using System.Runtime.InteropServices;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace HotDash.Api.Tests.Integration;

/// <summary>The built-in mock model on the embedded defaults (no model_list), through the official .NET SDK and raw HTTP.</summary>
public sealed class MockProviderTests(MockGatewayFixture fixture) : IClassFixture<MockGatewayFixture>
{
    [Fact]
    public async Task ChatCompletions_MockChatThroughSdk_EchoesTheLastUserMessage()
    {
        ChatCompletion completion = await fixture.Chat("mock-chat").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("hello there")]);

        Assert.Equal("This is a mock response from mock-chat. You said: hello there", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("mock-chat", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task ChatCompletions_MockChatStreamedThroughSdk_GivesTheSameTextAndUsage()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in fixture.Chat("mock-chat").CompleteChatStreamingAsync([new UserChatMessage("stream me")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
        }

        Assert.Equal("This is a mock response from mock-chat. You said: stream me", text.ToString());
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task ChatCompletions_StreamWithIncludeUsage_EndsWithUsageChunkAndDone()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.True(last.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_HasNoUsageChunk()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events.SkipLast(1), e => Assert.False(JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task ChatCompletions_MockResponseField_IsHonouredOnAnyModel()
    {
        foreach (var model in (string[])["mock-chat", "mock-embedding"])
        {
            using var response = await fixture.Client.PostAsync("/v1/chat/completions",
                JsonBody.Of($$"""{"model":"{{model}}","mock_response":"Exactly this.","messages":[{"role":"user","content":"hi"}]}"""));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Exactly this.", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal(model, json.GetProperty("model").GetString());
        }
    }

    [Fact]
    public async Task ChatCompletions_MockResponseStreamed_StreamsThatText()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","stream":true,"mock_response":"One two three.","messages":[{"role":"user","content":"hi"}]}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        var text = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("One two three.", text);
    }

    [Fact]
    public async Task ChatCompletions_MaxTokensBelowReply_TruncatesWithFinishReasonLength()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","max_tokens":2,"messages":[{"role":"user","content":"tell me a long story"}]}"""));

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("length", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(2, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_MockChat_ReturnsTextCompletion()
    {
        using var response = await fixture.Client.PostAsync("/v1/completions", JsonBody.Of("""{"model":"mock-chat","prompt":"Say hi"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.Equal("This is a mock completion from mock-chat for: Say hi", json.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.True(json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Completions_Streamed_EndsWithDoneAndConcatenatesToTheReply()
    {
        using var response = await fixture.Client.PostAsync("/v1/completions", JsonBody.Of("""{"model":"mock-chat","prompt":"Say hi","stream":true}"""));

        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var text = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal("This is a mock completion from mock-chat for: Say hi", text);
    }

    [Fact]
    public async Task Embeddings_MockEmbeddingThroughSdk_AreDeterministicUnitVectors()
    {
        var client = fixture.Embeddings("mock-embedding");

        OpenAIEmbedding first = await client.GenerateEmbeddingAsync("the quick brown fox");
        OpenAIEmbedding again = await client.GenerateEmbeddingAsync("the quick brown fox");

        var v = first.ToFloats().ToArray();
        Assert.Equal(1536, v.Length);
        Assert.Equal(v, again.ToFloats().ToArray());
        Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 0.999, 1.001);
    }

    [Fact]
    public async Task Embeddings_DimensionsThroughSdk_AreHonoured()
    {
        OpenAIEmbedding e = await fixture.Embeddings("mock-embedding").GenerateEmbeddingAsync("x", new EmbeddingGenerationOptions { Dimensions = 64 });

        Assert.Equal(64, e.ToFloats().Length);
    }

    [Fact]
    public async Task Embeddings_Base64AndFloat_CarryTheSameVector()
    {
        async Task<JsonElement> EmbedAsync(string format)
        {
            using var response = await fixture.Client.PostAsync("/v1/embeddings",
                JsonBody.Of($$"""{"model":"mock-embedding","input":["alpha beta"],"encoding_format":"{{format}}","dimensions":16}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("embedding");
        }

        var floats = (await EmbedAsync("float")).EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var base64 = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String((await EmbedAsync("base64")).GetString()!)).ToArray();

        Assert.Equal(16, floats.Length);
        Assert.Equal(floats, base64);
    }

    [Fact]
    public async Task Models_ThroughSdk_ListsTheBuiltInModels()
    {
        var models = await fixture.Models().GetModelsAsync();

        Assert.Equal(["mock-chat", "mock-embedding"], models.Value.Select(m => m.Id).ToArray());
    }

    [Fact]
    public async Task Models_ByIdThroughSdk_ReturnsTheModel()
    {
        var model = await fixture.Models().GetModelAsync("mock-embedding");

        Assert.Equal("mock-embedding", model.Value.Id);
    }

    [Theory]
    [InlineData("/chat/completions", """{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/completions", """{"model":"mock-chat","prompt":"hi"}""")]
    [InlineData("/embeddings", """{"model":"mock-embedding","input":"hi"}""")]
    public async Task Routes_WithoutV1Prefix_AreServedLikeV1(string path, string body)
    {
        using var response = await fixture.Client.PostAsync(path, JsonBody.Of(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Models_WithoutV1Prefix_ListsTheBuiltInModels()
    {
        using var response = await fixture.Client.GetAsync("/models");

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ChatCompletions_MockSuccess_CarriesLiteLlmResponseHeaders()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}"""));

        OpenAiAssert.LiteLlmHeaders(response, Assert.Single(response.Headers.GetValues("x-litellm-model-id")), apiBase: null);
        Assert.Equal("mock-chat", Assert.Single(response.Headers.GetValues("x-litellm-model-group")));
    }

    [Fact]
    public async Task HealthLiveliness_Always_AnswersAlive()
    {
        foreach (var path in (string[])["/health/liveliness", "/health/liveness"])
        {
            using var response = await fixture.Client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("alive", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task HealthReadiness_SiloReachable_IsHealthyWithClusterConnected()
    {
        using var response = await fixture.Client.GetAsync("/health/readiness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.Equal("connected", json.GetProperty("cluster").GetProperty("status").GetString());
        Assert.Equal("localhost", json.GetProperty("cluster").GetProperty("clustering").GetString());
        Assert.Equal(2, json.GetProperty("models").GetInt32());
        Assert.Equal("Not connected", json.GetProperty("db").GetString()); // LiteLLM's wording: no database configured
    }

    [Fact]
    public async Task HealthReadiness_AfterFirstHeartbeat_CountsThisGatewayInTheCluster()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int gateways;
        do
        {
            using var response = await fixture.Client.GetAsync("/health/readiness");
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            gateways = json.GetProperty("cluster").GetProperty("gateways").GetInt32();
            if (gateways > 0)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(1, gateways);
    }
}
