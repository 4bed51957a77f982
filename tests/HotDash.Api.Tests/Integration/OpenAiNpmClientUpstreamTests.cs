using System.Globalization;
using Xunit.Abstractions;
using Fixture = HotDash.Api.Tests.Integration.NpmUpstreamGatewayFixture;

namespace HotDash.Api.Tests.Integration;

/// <summary>
/// The official <c>openai</c> npm package (tests/clients/*.mjs under <c>node --test</c>) against the gateway on a
/// real port whose models are <c>openai/…</c> deployments on the fake upstream; then what the upstream received.
/// </summary>
public sealed class OpenAiNpmClientUpstreamTests(Fixture fixture, ITestOutputHelper output) : IClassFixture<Fixture>
{
    [Fact]
    public async Task OpenAiNpmPackage_AgainstUpstreamDeployments_PassesEveryNodeTestAndReachesTheUpstream()
    {
        var text = await NodeTestRunner.RunAsync(output, new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = new Uri(fixture.BaseAddress, "/v1").ToString(),
            ["OPENAI_API_KEY"] = Fixture.Key,
            ["HOTDASH_CHAT_MODEL"] = Fixture.ChatModel,
            ["HOTDASH_COMPLETION_MODEL"] = Fixture.CompletionModel,
            ["HOTDASH_EMBEDDING_MODEL"] = Fixture.EmbeddingModel,
            ["HOTDASH_MODELS"] = string.Join(',', Fixture.ModelIds),
            // The gateway passes the upstream's answer on as it is, naming the upstream's model (as LiteLLM does).
            ["HOTDASH_CHAT_ANSWER_MODEL"] = Fixture.UpstreamChatModel,
            ["HOTDASH_COMPLETION_ANSWER_MODEL"] = Fixture.UpstreamCompletionModel,
            ["HOTDASH_REPLY"] = FakeUpstream.Reply,
            ["HOTDASH_EMBEDDING_DIMENSIONS"] = FakeUpstream.EmbeddingDimensions.ToString(CultureInfo.InvariantCulture),
            ["HOTDASH_EMBEDDING_VECTORS"] = JsonSerializer.Serialize(new[] { FakeUpstream.Vector(0), FakeUpstream.Vector(1) }),
            ["HOTDASH_EMBEDDING_FIXED_DIMENSIONS"] = "1",
            ["HOTDASH_RATE_LIMITED_MODEL"] = Fixture.RateLimitedModel,
        });
        if (text is null)
        {
            return; // NOT RUN (no node or npm install, outside CI)
        }
        Assert.Contains("# skipped 0", text); // the upstream-only test ran too

        var fake = fixture.Fake;
        // Every request reached the upstream under its upstream name, with the upstream key and never the client's.
        Assert.All(Fixture.ModelIds, m => Assert.Empty(fake.RequestsFor(m)));
        Assert.Null(fake.LastFor(FakeUpstream.UnparseableBody));
        var chat = fake.RequestsFor(Fixture.UpstreamChatModel);
        var completions = fake.RequestsFor(Fixture.UpstreamCompletionModel);
        var embeddings = fake.RequestsFor(Fixture.UpstreamEmbeddingModel);
        var rateLimited = fake.RequestsFor(Fixture.UpstreamRateLimitedModel);
        AssertForwarded(chat, "/v1/chat/completions");
        AssertForwarded(completions, "/v1/completions");
        AssertForwarded(embeddings, "/v1/embeddings");
        AssertForwarded(rateLimited, "/v1/chat/completions");

        Assert.Contains(chat, r => FirstMessage(r) == "hello from node" && !IsTrue(r.Json, "stream"));
        Assert.Contains(chat, r => FirstMessage(r) == "stream it" && IsTrue(r.Json, "stream")
            && r.Json.TryGetProperty("stream_options", out var so) && IsTrue(so, "include_usage"));
        Assert.Contains(completions, r => r.Json.GetProperty("prompt").GetString() == "Say hi" && !IsTrue(r.Json, "stream")
            && r.Json.GetProperty("max_tokens").GetInt32() == 50);
        Assert.Contains(completions, r => r.Json.GetProperty("prompt").GetString() == "Stream hi" && IsTrue(r.Json, "stream"));
        // The npm client asks for base64 unless told otherwise; the gateway forwards the format and dimensions.
        Assert.Contains(embeddings, r => Str(r.Json, "encoding_format") == "base64" && r.Json.GetProperty("input").ValueKind == JsonValueKind.Array);
        Assert.Contains(embeddings, r => Str(r.Json, "encoding_format") == "float" && r.Json.TryGetProperty("dimensions", out var d) && d.GetInt32() == 32);
    }

    private static void AssertForwarded(IReadOnlyList<RecordedRequest> requests, string path)
    {
        Assert.NotEmpty(requests);
        Assert.All(requests, r =>
        {
            Assert.Equal(path, r.Path);
            Assert.Equal("Bearer " + UpstreamGatewayFixture.UpstreamKey, r.Headers["Authorization"]);
            Assert.DoesNotContain(r.Headers, h => h.Value.Contains(Fixture.Key, StringComparison.Ordinal));
        });
    }

    private static string? FirstMessage(RecordedRequest r) => r.Json.GetProperty("messages")[0].GetProperty("content").GetString();

    private static bool IsTrue(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
