namespace HotDash.Grains;

/// <summary><c>GET /api/public/sessions</c>: sessions (distinct trace <c>sessionId</c>s), newest first. <see cref="Page"/> counts from 1.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.SessionQuery")]
public sealed record SessionQuery([property: Id(0)] string ProjectId, [property: Id(1)] int Page, [property: Id(2)] int Limit)
{
    /// <summary><c>fromTimestamp</c> (inclusive) on the session's first trace, epoch ms.</summary>
    [Id(3)] public long? FromTimestampMs { get; init; }

    /// <summary><c>toTimestamp</c> (exclusive), epoch ms.</summary>
    [Id(4)] public long? ToTimestampMs { get; init; }

    /// <summary><c>environment</c>: any of them.</summary>
    [Id(5)] public ImmutableArray<string> Environments { get; init; } = [];
}
