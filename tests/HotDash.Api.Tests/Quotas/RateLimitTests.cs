using System.ClientModel;
using System.Globalization;
using System.Text.RegularExpressions;
using HotDash.Grains;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Quotas;

/// <summary>Key and team limits refuse with LiteLLM's 429 before the upstream call, and report themselves in OpenAI's headers.</summary>
public sealed partial class RateLimitTests(QuotaGatewayFixture fixture) : IClassFixture<QuotaGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    [GeneratedRegex(@"^(\d+ms|(\d+h)?(\d+m)?\d+(\.\d+)?s)$")]
    private static partial Regex ResetFormat();

    private static async Task<JsonElement> RateLimitedAsync(HttpResponseMessage response, string type, string rateLimitType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code", "rate_limit_type"], error.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal("429", error.GetProperty("code").GetString());
        Assert.Equal(rateLimitType, error.GetProperty("rate_limit_type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(rateLimitType, TestRegistry.Header(response, "rate_limit_type"));
        return error.Clone();
    }

    [Fact]
    public async Task ChatCompletions_KeyRpmLimit3_FourthRequestIs429ThrottlingWithRetryAfter()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 3 } });
        for (var i = 0; i < 3; i++)
        {
            using var ok = await registry.ChatAsync(key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await registry.ChatAsync(key);

        await RateLimitedAsync(refused, "throttling_error", "requests");
        var retryAfter = int.Parse(TestRegistry.Header(refused, "retry-after")!, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("3", TestRegistry.Header(refused, "x-ratelimit-limit-requests"));
        Assert.Equal("0", TestRegistry.Header(refused, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task ChatCompletions_KeyWithoutLimitsInALimitedTeam_IsHeldToTheTeamsRpm()
    {
        var team = await registry.CreateTeamAsync(t => t with { Limits = QuotaLimits.None with { RpmLimit = 2 } });
        var first = await registry.CreateKeyAsync(k => k with { TeamId = team });
        var second = await registry.CreateKeyAsync(k => k with { TeamId = team });

        using (var a = await registry.ChatAsync(first))
        using (var b = await registry.ChatAsync(second))
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        }
        using var refused = await registry.ChatAsync(first);

        var error = await RateLimitedAsync(refused, "throttling_error", "requests");
        Assert.Contains(team, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletions_TpmLimitReservedByMaxTokensInFlight_RefusesBeforeTheUpstreamCall()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { TpmLimit = 500 } });
        using var cancel = new CancellationTokenSource();
        var slow = registry.ChatAsync(key, "slow-chat", ""","max_tokens":2000""", cancel.Token);
        await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 1 && s.ReservedTokens >= 2000);
        var upstreamCalls = fixture.Fake.CountFor("gpt-fake-echo");

        using var refused = await registry.ChatAsync(key, "upstream-chat", ""","max_tokens":10""");

        await RateLimitedAsync(refused, "throttling_error", "tokens");
        Assert.Equal(upstreamCalls, fixture.Fake.CountFor("gpt-fake-echo"));
        Assert.Equal("500", TestRegistry.Header(refused, "x-ratelimit-limit-tokens"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task ChatCompletions_MaxParallelRequests1_RefusesASecondWhileTheFirstIsInFlight_AndFreesTheSlotWhenTheClientLeaves()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { MaxParallelRequests = 1 } });
        using var cancel = new CancellationTokenSource();
        var slow = registry.ChatAsync(key, "slow-chat", ct: cancel.Token);
        await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 1);

        using var refused = await registry.ChatAsync(key);

        await RateLimitedAsync(refused, "throttling_error", "parallel_requests");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0);
        using var next = await registry.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_LimitedKey_SendsRateLimitAndKeySpendHeaders()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 10, TpmLimit = 100_000 } });

        using var response = await registry.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("10", TestRegistry.Header(response, "x-ratelimit-limit-requests"));
        Assert.Equal("9", TestRegistry.Header(response, "x-ratelimit-remaining-requests"));
        Assert.Matches(ResetFormat(), TestRegistry.Header(response, "x-ratelimit-reset-requests"));
        Assert.Equal("100000", TestRegistry.Header(response, "x-ratelimit-limit-tokens"));
        var remainingTokens = long.Parse(TestRegistry.Header(response, "x-ratelimit-remaining-tokens")!, CultureInfo.InvariantCulture);
        Assert.InRange(remainingTokens, 1, 99_999); // this request's estimate is already counted
        Assert.Matches(ResetFormat(), TestRegistry.Header(response, "x-ratelimit-reset-tokens"));
        Assert.Equal(0m, decimal.Parse(TestRegistry.Header(response, "x-litellm-key-spend")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ChatCompletions_KeyWithoutLimits_SendsKeySpendButNoRateLimitHeaders()
    {
        var key = await registry.CreateKeyAsync();

        using var response = await registry.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(TestRegistry.Header(response, "x-litellm-key-spend"));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ChatCompletions_MasterKey_IsUnlimitedAndHasNoQuotaHeaders()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":"quota-chat","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase));
        Assert.Null(TestRegistry.Header(response, "x-litellm-key-spend"));
    }

    [Fact]
    public async Task ChatCompletions_RateLimitedThroughTheSdk_SurfacesAsIts429()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        var chat = fixture.Chat("quota-chat", key);
        await chat.CompleteChatAsync([new UserChatMessage("first")]);

        var e = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("second")]));

        Assert.Equal(429, e.Status);
        Assert.Contains("rpm", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(e.GetRawResponse()!.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.True(int.Parse(retryAfter!, CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Embeddings_KeyRpmLimit1_SecondIs429()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        using var client = fixture.CreateAnonymousClient();

        using var first = await client.SendAsync(TestRegistry.Post(key, "/v1/embeddings", """{"model":"quota-embedding","input":"embed me"}"""));
        using var second = await client.SendAsync(TestRegistry.Post(key, "/v1/embeddings", """{"model":"quota-embedding","input":"embed me"}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await RateLimitedAsync(second, "throttling_error", "requests");
    }
}
