namespace HotDash.Grains;

/// <summary>
/// The dashboard's usage overview of a project's generations (observations of type <c>GENERATION</c>) whose start time
/// is in [<see cref="FromMs"/>, <see cref="ToMs"/>).
/// </summary>
/// <param name="ProjectId">The project.</param>
/// <param name="FromMs">Start (inclusive), epoch ms.</param>
/// <param name="ToMs">End (exclusive), epoch ms.</param>
/// <param name="BucketMs">Width of the series' buckets, ms (at least 60,000).</param>
[GenerateSerializer, Immutable, Alias("hotdash.UsageOverviewQuery")]
public sealed record UsageOverviewQuery(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] long FromMs,
    [property: Id(2)] long ToMs,
    [property: Id(3)] long BucketMs)
{
    /// <summary>How many entries <see cref="UsageOverview.TopUsers"/> and <see cref="UsageOverview.TopKeys"/> keep (and the breakdowns, by requests).</summary>
    [Id(4)] public int Top { get; init; } = 10;
}
