using HotDash.Grains;

namespace HotDash.Api.Tests.Quotas;

/// <summary>Streams settle when they end: with the usage chunk when there is one, else with an estimate.</summary>
public sealed class StreamSettlementTests(QuotaGatewayFixture fixture) : IClassFixture<QuotaGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    private async Task<string> StreamAsync(string key, string model, bool includeUsage)
    {
        using var client = fixture.CreateAnonymousClient();
        var options = includeUsage ? ""","stream_options":{"include_usage":true}""" : "";
        using var request = TestRegistry.Post(key, "/v1/chat/completions",
            $$"""{"model":"{{model}}","stream":true{{options}},"messages":[{"role":"user","content":"stream to me"}]}""");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(TestRegistry.Header(response, "x-ratelimit-limit-tokens"));
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task ChatCompletions_StreamWithUsageChunk_SettlesTheUsagesTokens()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { TpmLimit = 1_000_000 } });

        var body = await StreamAsync(key, "quota-chat", includeUsage: true);

        var usage = OpenAiAssert.SseEvents(body).Where(e => e != "[DONE]").Select(e => JsonDocument.Parse(e).RootElement)
            .Last(e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).GetProperty("usage");
        var total = usage.GetProperty("total_tokens").GetInt64();
        var status = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0 && s.TokensInWindow > 0);
        Assert.Equal(total, status.TokensInWindow);
        Assert.Equal(0, status.ReservedTokens);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamStreamWithoutUsage_SettlesAnEstimateWhenItEnds()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { TpmLimit = 1_000_000 } });

        var body = await StreamAsync(key, "upstream-chat", includeUsage: false);

        Assert.EndsWith("data: [DONE]\n\n", body);
        var status = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0 && s.TokensInWindow > 0);
        // The prompt's tokens plus about a token for every four bytes of the streamed reply.
        var replyTokens = (Encoding.UTF8.GetByteCount(FakeUpstream.Reply) + 3) / 4;
        Assert.InRange(status.TokensInWindow, replyTokens + 1, replyTokens + 100);
        Assert.Equal(0, status.ReservedTokens);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamFailure_ReleasesTheReservation()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { TpmLimit = 1_000_000, MaxParallelRequests = 1 } });

        using var failed = await registry.ChatAsync(key, "failing-chat", ""","max_tokens":5000""");

        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        var status = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0);
        Assert.Equal(0, status.ReservedTokens);
        Assert.Equal(0, status.TokensInWindow);
    }
}
