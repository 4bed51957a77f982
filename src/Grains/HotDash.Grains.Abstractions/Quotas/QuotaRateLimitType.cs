namespace HotDash.Grains;

/// <summary>Values of <see cref="QuotaDecision.RateLimitType"/>: which limit refused (LiteLLM's <c>rate_limit_type</c>).</summary>
public static class QuotaRateLimitType
{
    /// <summary><c>rpm_limit</c>.</summary>
    public const string Requests = "requests";

    /// <summary><c>tpm_limit</c>.</summary>
    public const string Tokens = "tokens";

    /// <summary><c>max_parallel_requests</c>.</summary>
    public const string ParallelRequests = "parallel_requests";

    /// <summary><c>max_budget</c>.</summary>
    public const string Budget = "budget";

    /// <summary><c>model_rpm_limit</c>.</summary>
    public const string ModelRequests = "model_requests";

    /// <summary><c>model_tpm_limit</c>.</summary>
    public const string ModelTokens = "model_tokens";

    /// <summary><c>model_max_budget</c>.</summary>
    public const string ModelBudget = "model_budget";
}
