namespace HotDash.Api.Gateway;

/// <summary>Token counts an upstream reported (or the mock counted).</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
