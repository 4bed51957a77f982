using HotDash.Api.Providers;
using HotDash.Api.Quotas;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDash.Api.Tests.Quotas;

/// <summary><c>general_settings.token_rate_limit_type</c>: which tokens a reservation and a settlement count.</summary>
public sealed class QuotaGateTests
{
    private static readonly TokenCounter Tokens = new();

    private const string ChatBody = """{"model":"m","messages":[{"role":"user","content":"a prompt long enough to count a few tokens"}],"max_tokens":50}""";

    private static readonly ModelGroupTraits Priced = new(new ModelPrice(0.001m, 0.002m), []);

    // Estimate and TokensOf are pure arithmetic: neither touches the cluster, so none is given.
    private static QuotaGate Gate(string? mode) => new(
        null!,
        null!,
        HotDashConfigLoader.FromYaml(mode is null ? "" : $"general_settings:\n  token_rate_limit_type: {mode}\n", null, _ => null),
        Tokens,
        TimeProvider.System,
        NullLogger<QuotaGate>.Instance);

    private static int PromptOf(string json, EndpointKind kind) => PromptTokenEstimator.Count(Encoding.UTF8.GetBytes(json), kind, Tokens);

    [Theory]
    [InlineData("input", 300)]
    [InlineData("output", 20)]
    [InlineData("total", 320)]
    [InlineData(null, 320)]
    public void TokensOf_EachTokenRateLimitType_CountsItsTokens(string? mode, long expected)
    {
        Assert.Equal(expected, Gate(mode).TokensOf(promptTokens: 300, completionTokens: 20));
    }

    [Theory]
    [InlineData("input")]
    [InlineData("output")]
    [InlineData("total")]
    public void Estimate_ChatWithMaxTokens_ReservesTheTokensItsTypeCounts(string mode)
    {
        var prompt = PromptOf(ChatBody, EndpointKind.ChatCompletions);

        var estimate = Gate(mode).Estimate(Encoding.UTF8.GetBytes(ChatBody), new RequestInfo { MaxTokens = 50 }, EndpointKind.ChatCompletions, Priced);

        Assert.True(prompt > 5, $"the prompt should count several tokens, counted {prompt}");
        Assert.Equal(prompt, estimate.PromptTokens);
        Assert.Equal(50, estimate.MaxTokens);
        var expected = mode switch
        {
            "input" => prompt,
            "output" => 50,
            _ => prompt + 50,
        };
        Assert.Equal(expected, estimate.Tokens);
    }

    [Theory]
    [InlineData("input")]
    [InlineData("output")]
    [InlineData("total")]
    public void Estimate_AnyTokenRateLimitType_PricesBothPromptAndMaxTokens(string mode)
    {
        var prompt = PromptOf(ChatBody, EndpointKind.ChatCompletions);

        var estimate = Gate(mode).Estimate(Encoding.UTF8.GetBytes(ChatBody), new RequestInfo { MaxTokens = 50 }, EndpointKind.ChatCompletions, Priced);

        Assert.Equal(prompt * 0.001m + 50 * 0.002m, estimate.Cost); // budgets are in USD whatever tpm counts
    }

    [Fact]
    public void Estimate_OutputTypeWithoutMaxTokens_ReservesNoTokens()
    {
        var body = """{"model":"m","messages":[{"role":"user","content":"no max_tokens here"}]}""";

        var estimate = Gate("output").Estimate(Encoding.UTF8.GetBytes(body), new RequestInfo(), EndpointKind.ChatCompletions, Priced);

        Assert.Equal(0, estimate.Tokens);
        Assert.True(estimate.PromptTokens > 0);
    }

    [Theory]
    [InlineData("input", true)]
    [InlineData("output", false)]
    [InlineData("total", true)]
    public void Estimate_Embeddings_CountsTheInputOnlyAndNeverMaxTokens(string mode, bool countsInput)
    {
        var body = """{"model":"e","input":"embed this sentence please"}""";
        var prompt = PromptOf(body, EndpointKind.Embeddings);

        var estimate = Gate(mode).Estimate(Encoding.UTF8.GetBytes(body), new RequestInfo { MaxTokens = 50 }, EndpointKind.Embeddings, Priced);

        Assert.Equal(0, estimate.MaxTokens);
        Assert.Equal(countsInput ? prompt : 0, estimate.Tokens);
    }
}
