using HotDash.Api.Providers;
using HotDash.Grains;

namespace HotDash.Api.Tests.Quotas;

/// <summary>With <c>token_rate_limit_type: output</c>, a large prompt does not count toward a key's <c>tpm_limit</c>; <c>max_tokens</c> does.</summary>
public sealed class OutputTokenRateLimitTests(OutputTokenRateLimitFixture fixture) : IClassFixture<OutputTokenRateLimitFixture>
{
    private readonly TestRegistry registry = new(fixture);

    private static readonly string LargePrompt = string.Join(' ', Enumerable.Repeat("tokens of a long prompt", 100));

    [Fact]
    public async Task ChatCompletions_OutputTypeLargePromptSmallMaxTokens_IsAdmittedUnderATpmLimitThePromptAloneExceeds()
    {
        Assert.True(new TokenCounter().Count(LargePrompt) > 100, "the prompt alone must exceed the tpm_limit");
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { TpmLimit = 100 } });
        var extra = $$""","messages":[{"role":"user","content":"{{LargePrompt}}"}],"max_tokens":5""";
        using var cancel = new CancellationTokenSource();
        // The first request stays in flight, holding its reservation: in total mode that would be prompt + 5 >= 100.
        var slow = ChatAsync(key, "output-slow-chat", extra, cancel.Token);
        var inFlight = await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 1);
        Assert.Equal(5, inFlight.ReservedTokens);

        using var admitted = await ChatAsync(key, "output-chat", extra);

        Assert.True(admitted.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)admitted.StatusCode}: {await admitted.Content.ReadAsStringAsync()}");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    private async Task<HttpResponseMessage> ChatAsync(string key, string model, string extra, CancellationToken ct = default)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = TestRegistry.Post(key, "/v1/chat/completions", $$"""{"model":"{{model}}"{{extra}}}""");
        var response = await client.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }
}
