namespace HotDash.Grains;

/// <summary>A Langfuse score. Times are UTC epoch milliseconds; a score with the same id replaces the older one.</summary>
[GenerateSerializer, Immutable, Alias("hotdash.ScoreRecord")]
public sealed record ScoreRecord([property: Id(0)] string Id)
{
    /// <summary>The Langfuse project (from the API key).</summary>
    [Id(1)] public string ProjectId { get; init; } = "";

    /// <summary>The trace scored.</summary>
    [Id(2)] public string? TraceId { get; init; }

    /// <summary>The session scored.</summary>
    [Id(3)] public string? SessionId { get; init; }

    /// <summary>The observation scored.</summary>
    [Id(4)] public string? ObservationId { get; init; }

    /// <summary>When it was scored.</summary>
    [Id(5)] public long? TimestampMs { get; init; }

    /// <summary>Score name.</summary>
    [Id(6)] public string? Name { get; init; }

    /// <summary>Numeric value (<c>NUMERIC</c>, <c>BOOLEAN</c> 0/1; for <c>CATEGORICAL</c> 0).</summary>
    [Id(7)] public double? Value { get; init; }

    /// <summary>The value of a <c>CATEGORICAL</c> score (or <c>True</c>/<c>False</c> for <c>BOOLEAN</c>).</summary>
    [Id(8)] public string? StringValue { get; init; }

    /// <summary><c>NUMERIC</c>, <c>CATEGORICAL</c> or <c>BOOLEAN</c>.</summary>
    [Id(9)] public string? DataType { get; init; }

    /// <summary><c>API</c>, <c>ANNOTATION</c> or <c>EVAL</c>.</summary>
    [Id(10)] public string? Source { get; init; }

    /// <summary>Comment.</summary>
    [Id(11)] public string? Comment { get; init; }

    /// <summary>Metadata, top-level keys.</summary>
    [Id(12)] public ImmutableDictionary<string, string>? Metadata { get; init; }

    /// <summary>Langfuse <c>environment</c>.</summary>
    [Id(13)] public string? Environment { get; init; }

    /// <summary>Langfuse score config id.</summary>
    [Id(14)] public string? ConfigId { get; init; }

    /// <summary>Row bookkeeping: first written.</summary>
    [Id(15)] public long? CreatedAtMs { get; init; }

    /// <summary>Row bookkeeping: last changed.</summary>
    [Id(16)] public long? UpdatedAtMs { get; init; }

    /// <summary>Row version: the newest envelope timestamp merged into it.</summary>
    [Id(17)] public long? EventTsMs { get; init; }
}
