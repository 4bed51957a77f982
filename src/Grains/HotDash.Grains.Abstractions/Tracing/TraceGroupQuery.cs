namespace HotDash.Grains;

/// <summary>
/// Sessions or users with totals over their traces (traces without the id are left out), most recent last trace first.
/// <see cref="Page"/> counts from 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.TraceGroupQuery")]
public sealed record TraceGroupQuery(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] TraceGroupKind By,
    [property: Id(2)] int Page,
    [property: Id(3)] int Limit)
{
    /// <summary>Only traces from this time on (inclusive), epoch ms.</summary>
    [Id(4)] public long? FromTimestampMs { get; init; }

    /// <summary>Only traces before this time (exclusive), epoch ms.</summary>
    [Id(5)] public long? ToTimestampMs { get; init; }

    /// <summary>Case-insensitive text in the session or user id.</summary>
    [Id(6)] public string? Search { get; init; }
}
