namespace HotDash.Grains;

/// <summary>One session's or user's totals.</summary>
/// <param name="Id">The session or user id.</param>
/// <param name="Traces">Its traces.</param>
/// <param name="Observations">Their observations.</param>
/// <param name="TotalCost">Their observations' total cost, USD.</param>
/// <param name="TotalTokens">Their observations' total tokens.</param>
/// <param name="FirstTraceMs">The earliest trace timestamp, epoch ms.</param>
/// <param name="LastTraceMs">The latest trace timestamp, epoch ms.</param>
/// <param name="Errors">Their observations at level <c>ERROR</c>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.TraceGroupTotals")]
public sealed record TraceGroupTotals(
    [property: Id(0)] string Id,
    [property: Id(1)] long Traces,
    [property: Id(2)] long Observations,
    [property: Id(3)] decimal TotalCost,
    [property: Id(4)] long TotalTokens,
    [property: Id(5)] long FirstTraceMs,
    [property: Id(6)] long LastTraceMs,
    [property: Id(7)] long Errors);
