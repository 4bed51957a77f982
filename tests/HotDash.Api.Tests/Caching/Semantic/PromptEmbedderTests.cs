using System.Diagnostics;
using System.Runtime.InteropServices;
using HotDash.Api.Caching.Semantic;
using HotDash.Api.Providers;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDash.Api.Tests.Caching.Semantic;

/// <summary>The prompt embedder against a real OpenAI-compatible upstream on 127.0.0.1 and the built-in mock provider.</summary>
public sealed class PromptEmbedderTests : IAsyncLifetime
{
    private FakeUpstream upstream = null!;
    private UpstreamHttp http = null!;

    public async Task InitializeAsync()
    {
        upstream = await FakeUpstream.StartAsync();
        http = new UpstreamHttp();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await upstream.DisposeAsync();
    }

    private PromptEmbedder Embedder(string embeddingGroup = "embed")
    {
        var yaml = $$"""
            model_list:
              - model_name: embed
                litellm_params: { model: openai/text-embedding-fake, api_base: "{{upstream.ApiBase}}", api_key: sk-upstream-secret }
                model_info: { mode: embedding }
              - model_name: embed-broken
                litellm_params: { model: openai/error-500-embed, api_base: "{{upstream.ApiBase}}" }
              - model_name: embed-fallback
                litellm_params: { model: openai/error-503-embed, api_base: "{{upstream.ApiBase}}" }
              - model_name: embed-fallback
                litellm_params: { model: openai/text-embedding-fallback, api_base: "{{upstream.ApiBase}}" }
              - model_name: embed-slow
                litellm_params: { model: openai/slow-10000-embed, api_base: "{{upstream.ApiBase}}", timeout: 0.5 }
              - model_name: embed-mock
                litellm_params: { model: mock/embedder }
                model_info: { output_vector_size: 64 }
              - model_name: chat
                litellm_params: { model: mock/chat }
            litellm_settings:
              cache: true
              cache_params:
                type: redis-semantic
                host: 127.0.0.1
                port: 6379
                similarity_threshold: 0.9
                redis_semantic_cache_embedding_model: {{embeddingGroup}}
            """;
        var config = HotDashConfigLoader.FromYaml(yaml, null, _ => null);
        return new PromptEmbedder(config, new ModelCatalog(config), new DeploymentRouter(TimeProvider.System), http, NullLogger<PromptEmbedder>.Instance);
    }

    private static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}]}""", "What is the capital of France?")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of France?"}],"temperature":0}""", "Be brief.\n\nCapital of France?")]
    [InlineData("""{"model":"m","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}]}""", "Be brief.\n\nHi")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Capital "},{"type":"text","text":"of France?"}]}]}""", "Capital of France?")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"text"},"n":1,"tools":[]}""", "Hi")]
    public void PromptText_SingleTurnChat_IsTheSystemAndUserText(string json, string expected)
    {
        Assert.Equal(expected, PromptEmbedder.PromptText(Body(json).Span, EndpointKind.ChatCompletions, allowMultiTurn: false));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":"c"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"a"},{"role":"system","content":"b"},{"role":"user","content":"c"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"system","content":"c"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"only a system message"}]}""")]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"   "}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"w"}}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"response_format":{"type":"json_object"}}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"n":2}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"logprobs":true}""")]
    [InlineData("""{"model":"m","messages":"Hi"}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}""")]
    public void PromptText_NotSingleTurnOrNotPlainText_IsNotEligible(string json)
    {
        Assert.Null(PromptEmbedder.PromptText(Body(json).Span, EndpointKind.ChatCompletions, allowMultiTurn: false));
    }

    [Fact]
    public void PromptText_MultiTurnAllowed_JoinsTheConversation()
    {
        var json = """{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}""";
        var withTool = """{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"1","content":"r"},{"role":"user","content":"c"}]}""";
        var endsWithAssistant = """{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}""";

        Assert.Equal("s\n\na\n\nb\n\nc", PromptEmbedder.PromptText(Body(json).Span, EndpointKind.ChatCompletions, allowMultiTurn: true));
        Assert.Null(PromptEmbedder.PromptText(Body(withTool).Span, EndpointKind.ChatCompletions, allowMultiTurn: true));
        Assert.Null(PromptEmbedder.PromptText(Body(endsWithAssistant).Span, EndpointKind.ChatCompletions, allowMultiTurn: true));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"Say this is a test"}""", "Say this is a test")]
    [InlineData("""{"model":"m","prompt":["Say this is a test"],"max_tokens":7}""", "Say this is a test")]
    [InlineData("""{"model":"m","prompt":["one","two"]}""", null)]
    [InlineData("""{"model":"m","prompt":[1212, 318]}""", null)]
    [InlineData("""{"model":"m","prompt":"Say","suffix":"end"}""", null)]
    [InlineData("""{"model":"m","prompt":"Say","echo":true}""", null)]
    [InlineData("""{"model":"m"}""", null)]
    public void PromptText_TextCompletion_IsASinglePromptString(string json, string? expected)
    {
        Assert.Equal(expected, PromptEmbedder.PromptText(Body(json).Span, EndpointKind.Completions, allowMultiTurn: false));
    }

    [Fact]
    public void PromptText_Embeddings_IsNeverEligible()
    {
        Assert.Null(PromptEmbedder.PromptText(Body("""{"model":"m","input":"x"}""").Span, EndpointKind.Embeddings, allowMultiTurn: true));
    }

    [Fact]
    public async Task EmbedAsync_OpenAiUpstream_PostsTheTextAndParsesTheEmbedding()
    {
        var vector = await Embedder().EmbedAsync(
            Body("""{"model":"chat","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of France?"}]}"""),
            EndpointKind.ChatCompletions, allowMultiTurn: false, CancellationToken.None);

        Assert.Equal(FakeUpstream.Vector(0), vector);
        var sent = upstream.LastFor("text-embedding-fake");
        Assert.NotNull(sent);
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("Bearer sk-upstream-secret", sent.Headers["Authorization"]);
        using var doc = JsonDocument.Parse(sent.Body);
        Assert.Equal("Be brief.\n\nCapital of France?", doc.RootElement.GetProperty("input").GetString());
        Assert.Equal("base64", doc.RootElement.GetProperty("encoding_format").GetString());
    }

    [Fact]
    public async Task EmbedAsync_NotEligible_NeverCallsTheUpstream()
    {
        var vector = await Embedder().EmbedAsync(
            Body("""{"model":"chat","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}"""),
            EndpointKind.ChatCompletions, allowMultiTurn: false, CancellationToken.None);

        Assert.Null(vector);
        Assert.Equal(0, upstream.CountFor("text-embedding-fake"));
    }

    [Fact]
    public async Task EmbedTextAsync_UpstreamError_IsNull()
    {
        Assert.Null(await Embedder().EmbedTextAsync("hello", "embed-broken", CancellationToken.None));
        Assert.Equal(1, upstream.CountFor("error-500-embed"));
    }

    [Fact]
    public async Task EmbedTextAsync_OneDeploymentFails_AnotherOfTheGroupAnswers()
    {
        var embedder = Embedder();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(FakeUpstream.Vector(0), await embedder.EmbedTextAsync("hello " + i, "embed-fallback", CancellationToken.None));
        }
        Assert.Equal(4, upstream.CountFor("text-embedding-fallback"));
    }

    [Fact]
    public async Task EmbedTextAsync_SlowUpstream_GivesUpAtTheDeploymentTimeout()
    {
        var started = Stopwatch.GetTimestamp();

        Assert.Null(await Embedder().EmbedTextAsync("hello", "embed-slow", CancellationToken.None));

        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.4, 5);
    }

    [Fact]
    public async Task EmbedTextAsync_UnknownGroup_IsNull()
    {
        Assert.Null(await Embedder().EmbedTextAsync("hello", "no-such-group", CancellationToken.None));
    }

    [Fact]
    public async Task EmbedAsync_MockProvider_UsesItsDeterministicEmbedding()
    {
        var embedder = Embedder("embed-mock");
        var body = Body("""{"model":"chat","prompt":"What is the capital of France?"}""");

        var vector = await embedder.EmbedAsync(body, EndpointKind.Completions, allowMultiTurn: false, CancellationToken.None);

        Assert.NotNull(vector);
        Assert.Equal(64, vector.Length);
        Assert.Equal(MockEmbedding.Embed("What is the capital of France?", 64), vector);
        Assert.Equal(vector, await embedder.EmbedAsync(body, EndpointKind.Completions, allowMultiTurn: false, CancellationToken.None));
    }

    [Fact]
    public void ParseEmbedding_FloatArrayOrBase64_GiveTheSameVector()
    {
        float[] v = [0.5f, -0.25f, 1e-7f, 3f];
        var floats = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25,1e-7,3]}]}""";
        var base64 = $$"""{"data":[{"embedding":"{{Convert.ToBase64String(MemoryMarshal.AsBytes(v.AsSpan()))}}"}]}""";

        Assert.Equal(v, PromptEmbedder.ParseEmbedding(Encoding.UTF8.GetBytes(floats)));
        Assert.Equal(v, PromptEmbedder.ParseEmbedding(Encoding.UTF8.GetBytes(base64)));
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"data":[{"embedding":[]}]}""")]
    [InlineData("""{"data":[{"embedding":["x"]}]}""")]
    [InlineData("""{"data":[{"embedding":"AAA"}]}""")]
    [InlineData("""{"data":[{"embedding":"not base64!"}]}""")]
    [InlineData("""{"error":{"message":"nope"}}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public void ParseEmbedding_NoUsableEmbedding_IsNull(string json)
    {
        Assert.Null(PromptEmbedder.ParseEmbedding(Encoding.UTF8.GetBytes(json)));
    }
}
