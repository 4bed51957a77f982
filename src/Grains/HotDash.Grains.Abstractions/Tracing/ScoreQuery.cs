namespace HotDash.Grains;

/// <summary><c>GET /api/public/scores</c> (and <c>/v2/scores</c>): Langfuse's filters, newest first. <see cref="Page"/> counts from 1.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.ScoreQuery")]
public sealed record ScoreQuery([property: Id(0)] string ProjectId, [property: Id(1)] int Page, [property: Id(2)] int Limit)
{
    /// <summary><c>userId</c>: scores of traces with this user.</summary>
    [Id(3)] public string? UserId { get; init; }

    /// <summary><c>name</c>.</summary>
    [Id(4)] public string? Name { get; init; }

    /// <summary><c>fromTimestamp</c> (inclusive), epoch ms.</summary>
    [Id(5)] public long? FromTimestampMs { get; init; }

    /// <summary><c>toTimestamp</c> (exclusive), epoch ms.</summary>
    [Id(6)] public long? ToTimestampMs { get; init; }

    /// <summary><c>source</c>.</summary>
    [Id(7)] public string? Source { get; init; }

    /// <summary><c>value</c>, compared with <see cref="Operator"/>.</summary>
    [Id(8)] public double? Value { get; init; }

    /// <summary><c>operator</c>: <c>&lt;</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&gt;=</c>, <c>!=</c>, <c>=</c> (default <c>=</c>).</summary>
    [Id(9)] public string? Operator { get; init; }

    /// <summary><c>scoreIds</c>: any of them.</summary>
    [Id(10)] public ImmutableArray<string> ScoreIds { get; init; } = [];

    /// <summary><c>dataType</c>.</summary>
    [Id(11)] public string? DataType { get; init; }

    /// <summary><c>traceTags</c>: the scored trace has every one of them.</summary>
    [Id(12)] public ImmutableArray<string> TraceTags { get; init; } = [];

    /// <summary><c>configId</c>.</summary>
    [Id(13)] public string? ConfigId { get; init; }

    /// <summary><c>environment</c>: any of them.</summary>
    [Id(14)] public ImmutableArray<string> Environments { get; init; } = [];

    /// <summary><c>traceId</c>.</summary>
    [Id(15)] public string? TraceId { get; init; }

    /// <summary><c>observationId</c>.</summary>
    [Id(16)] public string? ObservationId { get; init; }

    /// <summary><c>sessionId</c>.</summary>
    [Id(17)] public string? SessionId { get; init; }
}
