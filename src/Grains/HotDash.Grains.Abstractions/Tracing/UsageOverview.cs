namespace HotDash.Grains;

/// <summary>The answer to a <see cref="UsageOverviewQuery"/>.</summary>
/// <param name="Series">Totals and buckets.</param>
/// <param name="ByModel">Per model group (the observation's model group, else its model), most requests first.</param>
/// <param name="ByTeam">Per team id (empty: no team), most requests first.</param>
/// <param name="TopUsers">Per user (the trace's user id, else the observation's end user; requests without either left out), highest cost first.</param>
/// <param name="TopKeys">Per key alias (requests without one left out), highest cost first.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UsageOverview")]
public sealed record UsageOverview(
    [property: Id(0)] UsageSeries Series,
    [property: Id(1)] ImmutableArray<UsageGroup> ByModel,
    [property: Id(2)] ImmutableArray<UsageGroup> ByTeam,
    [property: Id(3)] ImmutableArray<UsageGroup> TopUsers,
    [property: Id(4)] ImmutableArray<UsageGroup> TopKeys)
{
    /// <summary>Per deployment (the observation's deployment id; requests without one left out), most requests first: the models page's recent latency.</summary>
    [Id(5)] public ImmutableArray<UsageGroup> ByDeployment { get; init; } = [];
}
