namespace HotDash.Api.Gateway;

/// <summary>Token counts an upstream reported (or the mock counted).</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens, int CachedPromptTokens = 0, int ReasoningTokens = 0)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
