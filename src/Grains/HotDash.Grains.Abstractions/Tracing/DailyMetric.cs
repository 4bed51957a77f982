namespace HotDash.Grains;

/// <summary>One day of a project's traces (Langfuse's <c>metrics/daily</c> item).</summary>
/// <param name="Date">The UTC day.</param>
/// <param name="CountTraces">Traces that day.</param>
/// <param name="CountObservations">Their observations.</param>
/// <param name="TotalCost">Their observations' total cost, USD.</param>
/// <param name="Usage">Per model (the observation's <c>model</c>): usage, counts and cost; generations only.</param>
[GenerateSerializer, Immutable, Alias("hotdash.DailyMetric")]
public sealed record DailyMetric(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] long CountTraces,
    [property: Id(2)] long CountObservations,
    [property: Id(3)] decimal TotalCost,
    [property: Id(4)] ImmutableArray<DailyModelUsage> Usage);
