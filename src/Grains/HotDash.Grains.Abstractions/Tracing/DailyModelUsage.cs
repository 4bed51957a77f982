namespace HotDash.Grains;

/// <summary>One model's share of a day (Langfuse's <c>metrics/daily</c> <c>usage[]</c> item).</summary>
[GenerateSerializer, Immutable, Alias("hotdash.DailyModelUsage")]
public sealed record DailyModelUsage(
    [property: Id(0)] string Model,
    [property: Id(1)] long InputUsage,
    [property: Id(2)] long OutputUsage,
    [property: Id(3)] long TotalUsage,
    [property: Id(4)] long CountTraces,
    [property: Id(5)] long CountObservations,
    [property: Id(6)] decimal TotalCost);
