using System.ClientModel;
using System.Globalization;
using HotDash.Api.Tests.Quotas;
using HotDash.Grains;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Caching;

/// <summary>
/// The response cache end to end: a real gateway, the real cache grains over Redis, and a fake upstream that counts its
/// calls. Every test asks its own prompt (a fresh id in it), so tests never hit each other's entries.
/// </summary>
public sealed class IntegrationCachingTests(IntegrationCachingFixture fixture) : IClassFixture<IntegrationCachingFixture>
{
    private const string Upstream = "gpt-cache";
    private readonly TestRegistry registry = new(fixture);

    private static string Prompt() => "cache test " + Guid.NewGuid().ToString("n");

    private static string ChatBody(string prompt, string extra = "", string model = "cache-chat") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{prompt}}"}]{{extra}}}""";

    private async Task<HttpResponseMessage> PostAsync(string path, string json, string? key = null)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = TestRegistry.Post(key ?? IntegrationCachingFixture.Key, path, json);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<HttpResponseMessage> ChatAsync(string json, string? key = null) => PostAsync("/v1/chat/completions", json, key);

    private static string? Header(HttpResponseMessage r, string name) => TestRegistry.Header(r, name);

    private static async Task<string> ContentOf(HttpResponseMessage r)
    {
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    // The SSE events' payloads, [DONE] excluded; asserts the stream ended with it.
    private static async Task<List<JsonDocument>> EventsOf(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        return [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..])
            .Where(p => p != "[DONE]")
            .Select(p => JsonDocument.Parse(p))];
    }

    private static string StreamedContent(IEnumerable<JsonDocument> events) => string.Concat(events
        .Select(e => e.RootElement.GetProperty("choices"))
        .Where(c => c.GetArrayLength() > 0)
        .Select(c => c[0].GetProperty("delta"))
        .Select(d => d.TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : ""));

    [Fact]
    public async Task Chat_SameRequestTwice_SecondIsAHitWithTheSameBytesAndNoUpstreamCall()
    {
        var body = ChatBody(Prompt());
        var before = fixture.Fake.CountFor(Upstream);

        using var first = await ChatAsync(body);
        using var second = await ChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("MISS", Header(first, "x-hotdash-cache"));
        Assert.Equal("HIT", Header(second, "x-hotdash-cache"));
        var key = Header(first, "x-litellm-cache-key");
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, Header(second, "x-litellm-cache-key"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal("0", Header(second, "x-litellm-response-cost"));
        Assert.Equal(before + 1, fixture.Fake.CountFor(Upstream));
    }

    [Fact]
    public async Task Chat_WithUserAndMetadataChanged_StillHits()
    {
        var prompt = Prompt();
        using var first = await ChatAsync(ChatBody(prompt, ""","user":"alice","metadata":{"run":1}"""));
        using var second = await ChatAsync(ChatBody(prompt, ""","user":"bob","metadata":{"run":2}"""));
        using var other = await ChatAsync(ChatBody(prompt, ""","temperature":0.5"""));

        Assert.Equal("HIT", Header(second, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(other, "x-hotdash-cache")); // a parameter that changes the answer is a new key
    }

    [Fact]
    public async Task Chat_RequestTtlOf1Second_ExpiresAfterIt()
    {
        var body = ChatBody(Prompt(), ""","cache":{"ttl":1}""");
        using var first = await ChatAsync(body);
        using var soon = await ChatAsync(body);
        await Task.Delay(1500);
        using var late = await ChatAsync(body);

        Assert.Equal("MISS", Header(first, "x-hotdash-cache"));
        Assert.Equal("HIT", Header(soon, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(late, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_NoCache_GoesUpstreamButStillStores()
    {
        var prompt = Prompt();
        using var stored = await ChatAsync(ChatBody(prompt));
        var before = fixture.Fake.CountFor(Upstream);

        using var fresh = await ChatAsync(ChatBody(prompt, ""","cache":{"no-cache":true}"""));
        using var after = await ChatAsync(ChatBody(prompt));

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("MISS", Header(fresh, "x-hotdash-cache"));
        Assert.Equal(before + 1, fixture.Fake.CountFor(Upstream));
        Assert.Equal("HIT", Header(after, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_NoStore_IsNotKept()
    {
        var prompt = Prompt();
        using var first = await ChatAsync(ChatBody(prompt, ""","cache":{"no-store":true}"""));
        using var second = await ChatAsync(ChatBody(prompt));

        Assert.Equal("MISS", Header(first, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(second, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_Namespaces_KeepSeparateEntries()
    {
        var prompt = Prompt();
        using var a = await ChatAsync(ChatBody(prompt, ""","cache":{"namespace":"team-a"}"""));
        using var a2 = await ChatAsync(ChatBody(prompt, ""","cache":{"namespace":"team-a"}"""));
        using var b = await ChatAsync(ChatBody(prompt, ""","cache":{"namespace":"team-b"}"""));

        Assert.StartsWith("team-a:", Header(a, "x-litellm-cache-key"), StringComparison.Ordinal);
        Assert.Equal("HIT", Header(a2, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(b, "x-hotdash-cache"));
        Assert.StartsWith("team-b:", Header(b, "x-litellm-cache-key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_SMaxAge_OnlyAYoungerEntryHits()
    {
        var prompt = Prompt();
        using var stored = await ChatAsync(ChatBody(prompt));
        await Task.Delay(1200);
        using var tooOld = await ChatAsync(ChatBody(prompt, ""","cache":{"s-maxage":1}"""));
        using var young = await ChatAsync(ChatBody(prompt, ""","cache":{"s-maxage":600}"""));

        Assert.Equal("MISS", Header(tooOld, "x-hotdash-cache"));
        Assert.Equal("HIT", Header(young, "x-hotdash-cache"));
    }

    [Theory]
    [InlineData("""{"ttl":-5}""")]
    [InlineData("""{"no-cache":"yes"}""")]
    [InlineData("\"yes\"")]
    public async Task Chat_BadCacheControls_Are400BeforeAnyUpstreamCall(string controls)
    {
        var before = fixture.Fake.CountFor(Upstream);
        using var response = await ChatAsync(ChatBody(Prompt(), $$""","cache":{{controls}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("cache", error.GetProperty("param").GetString());
        Assert.Equal(before, fixture.Fake.CountFor(Upstream));
    }

    [Fact]
    public async Task Chat_StreamedThenPlain_PlainHitHasTheStreamsContentAndUsage()
    {
        var prompt = Prompt();
        using var streamed = await ChatAsync(ChatBody(prompt, ""","stream":true,"stream_options":{"include_usage":true}"""));
        var events = await EventsOf(streamed);
        using var plain = await ChatAsync(ChatBody(prompt));

        Assert.Equal("MISS", Header(streamed, "x-hotdash-cache"));
        Assert.Equal("HIT", Header(plain, "x-hotdash-cache"));
        Assert.Equal(StreamedContent(events), await ContentOf(plain));
        Assert.Equal(FakeUpstream.Reply, await ContentOf(plain));
        using var doc = JsonDocument.Parse(await plain.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal("stop", doc.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(FakeUpstream.PromptTokens, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_PlainThenStreamed_StreamHitHasThePlainContentAndEndsWithDone()
    {
        var prompt = Prompt();
        using var plain = await ChatAsync(ChatBody(prompt));
        using var streamed = await ChatAsync(ChatBody(prompt, ""","stream":true"""));

        Assert.Equal("HIT", Header(streamed, "x-hotdash-cache"));
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var events = await EventsOf(streamed);
        Assert.Equal(await ContentOf(plain), StreamedContent(events));
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", e.RootElement.GetProperty("object").GetString()));
        Assert.DoesNotContain(events, e => e.RootElement.GetProperty("choices").GetArrayLength() == 0); // no usage chunk unasked
        Assert.Equal("stop", events[^1].RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Chat_StreamedTwice_SecondReplaysTheSameEvents()
    {
        var body = ChatBody(Prompt(), ""","stream":true""");
        using var first = await ChatAsync(body);
        using var second = await ChatAsync(body);

        Assert.Equal("HIT", Header(second, "x-hotdash-cache"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_50IdenticalConcurrentRequests_MakeOneUpstreamCall()
    {
        const string slow = "slow-400-cache";
        var body = ChatBody(Prompt(), model: "cache-slow");
        var before = fixture.Fake.CountFor(slow);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => ChatAsync(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + 1, fixture.Fake.CountFor(slow));
        var contents = await Task.WhenAll(responses.Select(ContentOf));
        Assert.All(contents, c => Assert.Equal(FakeUpstream.Reply, c));
        Assert.Single(responses, r => Header(r, "x-hotdash-cache") == "MISS");
        Assert.Equal(49, responses.Count(r => Header(r, "x-hotdash-coalesced") == "true"));
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Chat_50IdenticalConcurrentStreams_MakeOneUpstreamCallAndAllGetTheWholeStream()
    {
        const string slow = "slow-400-cache";
        var body = ChatBody(Prompt(), ""","stream":true""", model: "cache-slow");
        var before = fixture.Fake.CountFor(slow);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => ChatAsync(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + 1, fixture.Fake.CountFor(slow));
        foreach (var r in responses)
        {
            Assert.Equal(FakeUpstream.Reply, StreamedContent(await EventsOf(r)));
            r.Dispose();
        }
    }

    [Fact]
    public async Task Chat_UpstreamError_IsNotCached()
    {
        const string failing = "error-400-cache";
        var body = ChatBody(Prompt(), model: "cache-error");
        var before = fixture.Fake.CountFor(failing);

        using var first = await ChatAsync(body);
        using var second = await ChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("MISS", Header(second, "x-hotdash-cache"));
        Assert.Equal(before + 2, fixture.Fake.CountFor(failing));
    }

    [Fact]
    public async Task Chat_LeaderFailsWithFollowersWaiting_OneOfThemLeadsAndTheRestFollowIt()
    {
        const string flaky = "flaky-300-cache";
        var body = ChatBody(Prompt(), model: "cache-flaky");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChatAsync(body)));

        // The first call's error is its own; the 19 waiting on it make one more upstream call between them.
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.BadRequest);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, fixture.Fake.CountFor(flaky));
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Embeddings_SameInputTwice_SecondIsAHit()
    {
        var body = $$"""{"model":"cache-embedding","input":"{{Prompt()}}"}""";
        using var first = await PostAsync("/v1/embeddings", body);
        using var second = await PostAsync("/v1/embeddings", body);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("HIT", Header(second, "x-hotdash-cache"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Completions_StreamedThenPlain_Hits()
    {
        var prompt = Prompt();
        using var streamed = await PostAsync("/v1/completions", $$"""{"model":"cache-chat","prompt":"{{prompt}}","stream":true}""");
        await streamed.Content.ReadAsStringAsync();
        using var plain = await PostAsync("/v1/completions", $$"""{"model":"cache-chat","prompt":"{{prompt}}"}""");

        Assert.Equal("HIT", Header(plain, "x-hotdash-cache"));
        using var doc = JsonDocument.Parse(await plain.Content.ReadAsStringAsync());
        Assert.Equal(FakeUpstream.Reply, doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Chat_HitWithAVirtualKey_CountsForRpmButNotForTokensOrSpend()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 100, TpmLimit = 1_000_000, MaxBudget = 100m } });
        var body = ChatBody(Prompt());
        using var miss = await ChatAsync(body, key);
        var afterMiss = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0 && s.Spend > 0);

        using var hit = await ChatAsync(body, key);
        var afterHit = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0 && s.RequestsInWindow == 2);

        Assert.Equal("HIT", Header(hit, "x-hotdash-cache"));
        Assert.True(afterMiss.TokensInWindow > 0);
        Assert.Equal(afterMiss.TokensInWindow, afterHit.TokensInWindow);
        Assert.Equal(afterMiss.Spend, afterHit.Spend);
    }

    [Fact]
    public async Task Chat_KeyMetadataNoStore_IsHonouredUnlessTheRequestSaysOtherwise()
    {
        var key = await registry.CreateKeyAsync(k => k with { Metadata = """{"team":"a","cache":{"no-store":true}}""" });
        var prompt = Prompt();
        using var first = await ChatAsync(ChatBody(prompt), key);
        using var second = await ChatAsync(ChatBody(prompt), key);
        var other = Prompt();
        using var stored = await ChatAsync(ChatBody(other, ""","cache":{"no-store":false}"""), key);
        using var hit = await ChatAsync(ChatBody(other), key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", Header(first, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(second, "x-hotdash-cache"));
        Assert.Equal("MISS", Header(stored, "x-hotdash-cache"));
        Assert.Equal("HIT", Header(hit, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_Hit_IsALedgerRowWithCost0AndCacheHit()
    {
        var key = await registry.CreateKeyAsync();
        var body = ChatBody(Prompt());
        using var miss = await ChatAsync(body, key);
        using var hit = await ChatAsync(body, key);
        var hitId = Header(hit, "x-litellm-call-id")!;
        var missId = Header(miss, "x-litellm-call-id")!;

        var rows = await LedgerWhenAsync(TestRegistry.Hash(key), 2);

        var hitRow = Assert.Single(rows, r => r.RequestId == hitId);
        var missRow = Assert.Single(rows, r => r.RequestId == missId);
        Assert.True(hitRow.CacheHit);
        Assert.Equal(0m, hitRow.Spend);
        Assert.False(missRow.CacheHit);
        Assert.True(missRow.Spend > 0);
    }

    [Fact]
    public async Task Chat_Hit_IsTracedWithCacheHitAndTheCostItSaved()
    {
        var body = ChatBody(Prompt());
        using var miss = await ChatAsync(body);
        using var hit = await ChatAsync(body);

        var (_, missGeneration) = await fixture.Sink.ForCallAsync(Header(miss, "x-litellm-call-id")!);
        var (_, generation) = await fixture.Sink.ForCallAsync(Header(hit, "x-litellm-call-id")!);

        var cost = FakeUpstream.PromptTokens * IntegrationCachingFixture.InputPrice + FakeUpstream.StreamPieces.Length * IntegrationCachingFixture.OutputPrice;
        Assert.True(generation.Observation!.CacheHit);
        Assert.Equal("true", generation.Observation.Metadata!["cache_hit"]);
        Assert.Equal(cost, decimal.Parse(generation.Observation.Metadata!["cache_saved_cost"], CultureInfo.InvariantCulture));
        Assert.Equal("false", missGeneration.Observation!.Metadata!["cache_hit"]);
        Assert.Equal(FakeUpstream.Reply, await ContentOf(hit));
    }

    [Fact]
    public async Task OpenAiSdk_SameChatTwice_SecondIsAHitWithTheSameAnswer()
    {
        var chat = fixture.Chat("cache-chat");
        var prompt = Prompt();

        ClientResult<ChatCompletion> first = await chat.CompleteChatAsync([new UserChatMessage(prompt)]);
        ClientResult<ChatCompletion> second = await chat.CompleteChatAsync([new UserChatMessage(prompt)]);

        Assert.Equal(FakeUpstream.Reply, first.Value.Content[0].Text);
        Assert.Equal(first.Value.Content[0].Text, second.Value.Content[0].Text);
        Assert.Equal(first.Value.Id, second.Value.Id);
        Assert.True(second.GetRawResponse().Headers.TryGetValue("x-hotdash-cache", out var status));
        Assert.Equal("HIT", status);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(prompt)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }
        Assert.Equal(FakeUpstream.Reply, streamed.ToString());
    }

    [Fact]
    public async Task CacheRoutes_PingDeleteAndFlushAll_AnswerAsLiteLlm()
    {
        var body = ChatBody(Prompt());
        using var stored = await ChatAsync(body);
        var key = Header(stored, "x-litellm-cache-key")!;

        using var ping = await fixture.Client.GetAsync("/cache/ping");
        using var pingDoc = JsonDocument.Parse(await ping.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("healthy", pingDoc.RootElement.GetProperty("status").GetString());
        Assert.Equal("local", pingDoc.RootElement.GetProperty("cache_type").GetString());

        using var delete = await fixture.Client.PostAsync("/cache/delete", JsonBody.Of($$"""{"keys":["{{key}}"]}"""));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("""{"status":"success"}""", await delete.Content.ReadAsStringAsync());
        using var afterDelete = await ChatAsync(body);
        Assert.Equal("MISS", Header(afterDelete, "x-hotdash-cache"));

        using var flush = await fixture.Client.PostAsync("/cache/flushall", JsonBody.Of("{}"));
        Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
        Assert.Equal("""{"status":"success"}""", await flush.Content.ReadAsStringAsync());
        using var afterFlush = await ChatAsync(body);
        Assert.Equal("MISS", Header(afterFlush, "x-hotdash-cache"));

        var virtualKey = await registry.CreateKeyAsync();
        using var client = fixture.CreateAnonymousClient();
        using var refused = await client.SendAsync(TestRegistry.Post(virtualKey, "/cache/flushall", "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode); // master key only
    }

    private async Task<IReadOnlyList<SpendRow>> LedgerWhenAsync(string keyHash, int count)
    {
        var registryGrain = fixture.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await registryGrain.GetSpendLogs(new SpendLogQuery(keyHash, null, null, null, null, null, 100));
            if (rows.Length >= count)
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the ledger has {rows.Length} of {count} rows");
            await Task.Delay(50);
        }
    }
}
