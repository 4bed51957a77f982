using HotDash.Api.Providers;
using HotDash.Api.Quotas;

namespace HotDash.Api.Tests.Quotas;

public sealed class PromptTokenEstimatorTests
{
    private static readonly TokenCounter Tokens = new();

    private static int Count(string json, EndpointKind kind) => PromptTokenEstimator.Count(Encoding.UTF8.GetBytes(json), kind, Tokens);

    [Fact]
    public void Count_ChatMessages_CountsRolesAndContentWithOpenAisOverhead()
    {
        var count = Count("""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of France?"}]}""", EndpointKind.ChatCompletions);

        var expected = 3 + 3 + Tokens.Count("system") + Tokens.Count("Be brief.") + 3 + Tokens.Count("user") + Tokens.Count("What is the capital of France?");
        Assert.Equal(expected, count);
    }

    [Fact]
    public void Count_ContentParts_CountsOnlyTheTextParts()
    {
        var count = Count("""{"messages":[{"role":"user","content":[{"type":"text","text":"describe this"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}],"model":"m"}""", EndpointKind.ChatCompletions);

        Assert.Equal(3 + 3 + Tokens.Count("user") + Tokens.Count("describe this"), count);
    }

    [Fact]
    public void Count_EscapedText_IsCountedUnescaped()
    {
        var count = Count("""{"model":"m","messages":[{"role":"user","content":"caf\u00e9\nline two \"quoted\""}]}""", EndpointKind.ChatCompletions);

        Assert.Equal(3 + 3 + Tokens.Count("user") + Tokens.Count("café\nline two \"quoted\""), count);
    }

    [Fact]
    public void Count_CompletionPromptArray_CountsEveryString()
    {
        var count = Count("""{"model":"m","prompt":["first prompt","second prompt"],"max_tokens":5}""", EndpointKind.Completions);

        Assert.Equal(Tokens.Count("first prompt") + Tokens.Count("second prompt"), count);
    }

    [Fact]
    public void Count_EmbeddingTokenArrays_CountOneTokenPerNumber()
    {
        Assert.Equal(5, Count("""{"model":"m","input":[[1,2,3],[4,5]]}""", EndpointKind.Embeddings));
        Assert.Equal(Tokens.Count("embed me"), Count("""{"input":"embed me","model":"m"}""", EndpointKind.Embeddings));
    }

    [Fact]
    public void Count_OtherFields_AreIgnored()
    {
        var count = Count("""{"model":"m","metadata":{"content":"not a prompt"},"messages":[{"role":"user","content":"hi","tool_calls":[{"function":{"arguments":"{}"}}]}]}""", EndpointKind.ChatCompletions);

        Assert.Equal(3 + 3 + Tokens.Count("user") + Tokens.Count("hi"), count);
    }

    [Fact]
    public void Count_LongText_UsesOnePooledBufferWithoutFailing()
    {
        var text = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 4000));

        var count = Count($$"""{"model":"m","messages":[{"role":"user","content":"short"},{"role":"user","content":"{{text}}"}]}""", EndpointKind.ChatCompletions);

        Assert.Equal(3 + 2 * (3 + Tokens.Count("user")) + Tokens.Count("short") + Tokens.Count(text), count);
    }
}
