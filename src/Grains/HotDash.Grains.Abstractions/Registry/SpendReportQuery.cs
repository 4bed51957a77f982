namespace HotDash.Grains;

/// <summary><c>/global/spend/report</c>: spend per UTC day in [<see cref="Start"/>, <see cref="End"/>] (both days included), grouped.</summary>
/// <param name="Start">The first UTC day.</param>
/// <param name="End">The last UTC day.</param>
/// <param name="GroupBy"><see cref="SpendGroupBy"/>: <c>team</c>, <c>api_key</c>, <c>user</c> or <c>customer</c>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.SpendReportQuery")]
public sealed record SpendReportQuery(
    [property: Id(0)] DateOnly Start,
    [property: Id(1)] DateOnly End,
    [property: Id(2)] string GroupBy);
