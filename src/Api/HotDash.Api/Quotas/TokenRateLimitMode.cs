namespace HotDash.Api.Quotas;

/// <summary>
/// <c>general_settings.token_rate_limit_type</c>: which tokens count toward <c>tpm_limit</c>, for the reservation's
/// estimate and for the settlement alike.
/// </summary>
internal enum TokenRateLimitMode
{
    /// <summary><c>total</c> (the default): prompt and completion tokens.</summary>
    Total,

    /// <summary><c>input</c>: prompt tokens only.</summary>
    Input,

    /// <summary><c>output</c>: completion tokens only (the estimate is <c>max_tokens</c>).</summary>
    Output,
}
