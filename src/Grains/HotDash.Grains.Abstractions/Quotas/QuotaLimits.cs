namespace HotDash.Grains;

/// <summary>
/// A subject's limits, with LiteLLM's meanings. They travel with every <see cref="QuotaRequest"/>: the key and
/// team definitions own them, so a change applies from the next request on. <see langword="null"/> means no limit.
/// </summary>
/// <param name="RpmLimit"><c>rpm_limit</c>: requests admitted in a sliding 60 s window.</param>
/// <param name="TpmLimit"><c>tpm_limit</c>: tokens used in a sliding 60 s window (settled plus reserved by requests in flight).</param>
/// <param name="MaxParallelRequests"><c>max_parallel_requests</c>: requests in flight at once.</param>
/// <param name="MaxBudget"><c>max_budget</c>: spend (USD) per budget period; admitted while spend plus reserved cost is below it.</param>
/// <param name="BudgetDuration"><c>budget_duration</c>: length of the fixed budget period, which starts at the first use; <see langword="null"/>: never resets.</param>
/// <param name="ModelRpmLimit"><c>model_rpm_limit</c>: per model name, requests in a sliding 60 s window.</param>
/// <param name="ModelTpmLimit"><c>model_tpm_limit</c>: per model name, tokens in a sliding 60 s window.</param>
/// <param name="ModelMaxBudget"><c>model_max_budget</c>: per model name, spend per its own period.</param>
[GenerateSerializer, Alias("hotdash.QuotaLimits")]
public sealed record QuotaLimits(
    [property: Id(0)] long? RpmLimit,
    [property: Id(1)] long? TpmLimit,
    [property: Id(2)] int? MaxParallelRequests,
    [property: Id(3)] decimal? MaxBudget,
    [property: Id(4)] TimeSpan? BudgetDuration,
    [property: Id(5)] ImmutableDictionary<string, long> ModelRpmLimit,
    [property: Id(6)] ImmutableDictionary<string, long> ModelTpmLimit,
    [property: Id(7)] ImmutableDictionary<string, ModelBudget> ModelMaxBudget)
{
    /// <summary>No limits at all; start from this with <c>with { ... }</c>.</summary>
    public static QuotaLimits None { get; } = new(null, null, null, null, null,
        ImmutableDictionary<string, long>.Empty, ImmutableDictionary<string, long>.Empty, ImmutableDictionary<string, ModelBudget>.Empty);
}
