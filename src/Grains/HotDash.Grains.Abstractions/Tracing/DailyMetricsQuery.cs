namespace HotDash.Grains;

/// <summary><c>GET /api/public/metrics/daily</c>: per UTC day of trace timestamps, newest day first. <see cref="Page"/> counts from 1.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.DailyMetricsQuery")]
public sealed record DailyMetricsQuery([property: Id(0)] string ProjectId, [property: Id(1)] int Page, [property: Id(2)] int Limit)
{
    /// <summary><c>traceName</c>.</summary>
    [Id(3)] public string? TraceName { get; init; }

    /// <summary><c>userId</c>.</summary>
    [Id(4)] public string? UserId { get; init; }

    /// <summary><c>tags</c>: every one of them.</summary>
    [Id(5)] public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary><c>fromTimestamp</c> (inclusive), epoch ms.</summary>
    [Id(6)] public long? FromTimestampMs { get; init; }

    /// <summary><c>toTimestamp</c> (exclusive), epoch ms.</summary>
    [Id(7)] public long? ToTimestampMs { get; init; }

    /// <summary><c>environment</c>: any of them.</summary>
    [Id(8)] public ImmutableArray<string> Environments { get; init; } = [];
}
