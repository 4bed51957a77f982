namespace HotDash.Grains;

/// <summary>One day, one group, one model of <c>/global/spend/report</c>.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Group">The team id, key hash, user id or end user; <see langword="null"/> for requests without one.</param>
/// <param name="Model">The public model name (the model group).</param>
/// <param name="Spend">USD.</param>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
/// <param name="Requests">Requests counted.</param>
[GenerateSerializer, Immutable, Alias("hotdash.SpendReportRow")]
public sealed record SpendReportRow(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] string? Group,
    [property: Id(2)] string Model,
    [property: Id(3)] decimal Spend,
    [property: Id(4)] long PromptTokens,
    [property: Id(5)] long CompletionTokens,
    [property: Id(6)] long Requests);
