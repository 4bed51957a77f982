namespace HotDash.Grains;

/// <summary>
/// The answer to <see cref="IAdmissionGrain.Admit"/>. Refused: the refusing subject and its refusal (as in
/// <see cref="QuotaDecision"/>), with that subject's header values. Admitted: for requests and for tokens, the
/// <c>x-ratelimit-*</c> values of the subject with the least remaining, and every subject's spend.
/// </summary>
/// <param name="Admitted">Whether the request may go upstream; if so every subject holds a reservation.</param>
/// <param name="RefusingSubject">The key of the first refusing subject in the request's order; <see langword="null"/> when admitted.</param>
/// <param name="RefusalType"><see cref="QuotaRefusalType"/>; <see langword="null"/> when admitted.</param>
/// <param name="RateLimitType"><see cref="QuotaRateLimitType"/>: the limit that refused; <see langword="null"/> when admitted.</param>
/// <param name="Message">Names the subject, the limit and its value; <see langword="null"/> when admitted.</param>
/// <param name="RetryAfter">When a retry can succeed; <see langword="null"/> when admitted or never.</param>
/// <param name="LimitRequests"><c>x-ratelimit-limit-requests</c>; <see langword="null"/> when no subject has a request limit.</param>
/// <param name="RemainingRequests"><c>x-ratelimit-remaining-requests</c>: the smallest of the subjects'.</param>
/// <param name="ResetRequests"><c>x-ratelimit-reset-requests</c> of that same subject.</param>
/// <param name="LimitTokens"><c>x-ratelimit-limit-tokens</c>; <see langword="null"/> when no subject has a token limit.</param>
/// <param name="RemainingTokens"><c>x-ratelimit-remaining-tokens</c>: the smallest of the subjects'.</param>
/// <param name="ResetTokens"><c>x-ratelimit-reset-tokens</c> of that same subject.</param>
/// <param name="Spend">Each answering subject's settled spend (USD), by subject key (the key's is <c>x-litellm-key-spend</c>).</param>
[GenerateSerializer, Alias("hotdash.AdmissionDecision")]
public sealed record AdmissionDecision(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] string? RefusingSubject,
    [property: Id(2)] string? RefusalType,
    [property: Id(3)] string? RateLimitType,
    [property: Id(4)] string? Message,
    [property: Id(5)] TimeSpan? RetryAfter,
    [property: Id(6)] long? LimitRequests,
    [property: Id(7)] long? RemainingRequests,
    [property: Id(8)] TimeSpan? ResetRequests,
    [property: Id(9)] long? LimitTokens,
    [property: Id(10)] long? RemainingTokens,
    [property: Id(11)] TimeSpan? ResetTokens,
    [property: Id(12)] ImmutableDictionary<string, decimal> Spend)
{
    /// <summary>Admitted with no limits at all (no subjects: the master key).</summary>
    public static AdmissionDecision Unlimited { get; } = new(true, null, null, null, null, null,
        null, null, null, null, null, null, ImmutableDictionary<string, decimal>.Empty);
}
