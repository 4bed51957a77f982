namespace HotDash.Grains;

/// <summary>
/// A quota grain's answer to <see cref="IQuotaGrain.Reserve"/>. Refused: the OpenAI-shaped 429's <c>type</c>
/// (<see cref="RefusalType"/>), LiteLLM's <c>rate_limit_type</c>, the message and <c>retry-after</c>. Either way,
/// the values of the <c>x-ratelimit-*</c> and <c>x-litellm-key-spend</c> headers.
/// </summary>
/// <param name="Admitted">Whether the request may go upstream; if so it now holds a reservation.</param>
/// <param name="RefusalType"><see cref="QuotaRefusalType"/>: <c>throttling_error</c> or <c>budget_exceeded</c>; <see langword="null"/> when admitted.</param>
/// <param name="RateLimitType"><see cref="QuotaRateLimitType"/>: the limit that refused; <see langword="null"/> when admitted.</param>
/// <param name="Message">Names the subject, the limit and its value; <see langword="null"/> when admitted.</param>
/// <param name="RetryAfter">When a retry can succeed (for <c>retry-after</c>, rounded up to whole seconds); <see langword="null"/> when admitted or never (a budget without a duration).</param>
/// <param name="LimitRequests"><c>x-ratelimit-limit-requests</c>: <c>rpm_limit</c>, else the model's <c>model_rpm_limit</c>; <see langword="null"/> when neither is set.</param>
/// <param name="RemainingRequests"><c>x-ratelimit-remaining-requests</c>: requests left in the window after this one.</param>
/// <param name="ResetRequests"><c>x-ratelimit-reset-requests</c>: time until the oldest counted second leaves the window.</param>
/// <param name="LimitTokens"><c>x-ratelimit-limit-tokens</c>: <c>tpm_limit</c>, else the model's <c>model_tpm_limit</c>.</param>
/// <param name="RemainingTokens"><c>x-ratelimit-remaining-tokens</c>: the limit less settled and reserved tokens (this request's estimate included).</param>
/// <param name="ResetTokens"><c>x-ratelimit-reset-tokens</c>: time until the oldest second holding tokens leaves the window.</param>
/// <param name="Spend">Settled spend (USD) in the current budget period (<c>x-litellm-key-spend</c> on a key's grain).</param>
/// <param name="BudgetResetAt">When the current budget period ends; <see langword="null"/> without <c>budget_duration</c>.</param>
[GenerateSerializer, Alias("hotdash.QuotaDecision")]
public sealed record QuotaDecision(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] string? RefusalType,
    [property: Id(2)] string? RateLimitType,
    [property: Id(3)] string? Message,
    [property: Id(4)] TimeSpan? RetryAfter,
    [property: Id(5)] long? LimitRequests,
    [property: Id(6)] long? RemainingRequests,
    [property: Id(7)] TimeSpan? ResetRequests,
    [property: Id(8)] long? LimitTokens,
    [property: Id(9)] long? RemainingTokens,
    [property: Id(10)] TimeSpan? ResetTokens,
    [property: Id(11)] decimal Spend,
    [property: Id(12)] DateTimeOffset? BudgetResetAt);
