namespace HotDash.Grains;

/// <summary><c>GET /api/public/observations</c>: Langfuse's filters, newest start first. <see cref="Page"/> counts from 1.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.ObservationQuery")]
public sealed record ObservationQuery([property: Id(0)] string ProjectId, [property: Id(1)] int Page, [property: Id(2)] int Limit)
{
    /// <summary><c>name</c>.</summary>
    [Id(3)] public string? Name { get; init; }

    /// <summary><c>userId</c>: observations of traces with this user.</summary>
    [Id(4)] public string? UserId { get; init; }

    /// <summary><c>type</c> (<c>GENERATION</c>, <c>SPAN</c>, ...).</summary>
    [Id(5)] public string? Type { get; init; }

    /// <summary><c>traceId</c>.</summary>
    [Id(6)] public string? TraceId { get; init; }

    /// <summary><c>parentObservationId</c>.</summary>
    [Id(7)] public string? ParentObservationId { get; init; }

    /// <summary><c>fromStartTime</c> (inclusive), epoch ms.</summary>
    [Id(8)] public long? FromStartTimeMs { get; init; }

    /// <summary><c>toStartTime</c> (exclusive), epoch ms.</summary>
    [Id(9)] public long? ToStartTimeMs { get; init; }

    /// <summary><c>level</c>.</summary>
    [Id(10)] public string? Level { get; init; }

    /// <summary><c>version</c>.</summary>
    [Id(11)] public string? Version { get; init; }

    /// <summary><c>environment</c>: any of them.</summary>
    [Id(12)] public ImmutableArray<string> Environments { get; init; } = [];
}
