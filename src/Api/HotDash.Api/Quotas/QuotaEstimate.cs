namespace HotDash.Api.Quotas;

/// <summary>What a virtual key's request reserves before the upstream call.</summary>
/// <param name="PromptTokens">The request text's tokens (o200k_base), with OpenAI's per-message overhead.</param>
/// <param name="MaxTokens"><c>max_tokens</c> / <c>max_completion_tokens</c>, 0 when absent.</param>
/// <param name="Tokens">The tokens reserved, counted as <see cref="TokenRateLimitMode"/> says.</param>
/// <param name="Cost">Prompt tokens at the group's input price plus <c>max_tokens</c> at its output price (USD).</param>
internal readonly record struct QuotaEstimate(int PromptTokens, int MaxTokens, long Tokens, decimal Cost);
