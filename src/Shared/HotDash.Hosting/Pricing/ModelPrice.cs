namespace HotDash.Hosting.Pricing;

/// <summary>One model's price in USD per token, with LiteLLM's meaning of each field.</summary>
public sealed record ModelPrice(
    decimal InputCostPerToken,
    decimal OutputCostPerToken,
    decimal? CacheReadInputTokenCost = null,
    string? Mode = null,
    int? MaxInputTokens = null,
    int? MaxOutputTokens = null)
{
    /// <summary>What a call cost: cached prompt tokens at the cache-read price when the model has one.</summary>
    public decimal Cost(int promptTokens, int completionTokens, int cachedPromptTokens = 0)
    {
        var cached = CacheReadInputTokenCost is null ? 0 : Math.Clamp(cachedPromptTokens, 0, promptTokens);
        return (promptTokens - cached) * InputCostPerToken + cached * (CacheReadInputTokenCost ?? 0) + completionTokens * OutputCostPerToken;
    }
}
