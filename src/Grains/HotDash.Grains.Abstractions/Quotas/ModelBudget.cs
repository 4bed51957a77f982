namespace HotDash.Grains;

/// <summary>
/// One entry of LiteLLM's <c>model_max_budget</c>: the most a subject may spend on one model per
/// <see cref="TimePeriod"/> (a fixed period that starts at the first use; <see langword="null"/>: never resets).
/// </summary>
[GenerateSerializer, Alias("hotdash.ModelBudget")]
public sealed record ModelBudget(
    [property: Id(0)] decimal BudgetLimit,
    [property: Id(1)] TimeSpan? TimePeriod);
