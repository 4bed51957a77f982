namespace HotDash.Grains;

/// <summary>
/// A Langfuse trace. As an event body every field but <see cref="Id"/> may be null (not sent); as a stored row it is
/// the merge of every event for that id (later events win field by field, <see cref="Tags"/> are unioned,
/// <see cref="Metadata"/> keys are merged). Times are UTC epoch milliseconds.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.TraceRecord")]
public sealed record TraceRecord([property: Id(0)] string Id)
{
    /// <summary>The Langfuse project the trace belongs to (from the API key, never from the body).</summary>
    [Id(1)] public string ProjectId { get; init; } = "";

    /// <summary>When the trace started; immutable once set.</summary>
    [Id(2)] public long? TimestampMs { get; init; }

    /// <summary>Trace name.</summary>
    [Id(3)] public string? Name { get; init; }

    /// <summary>Langfuse <c>userId</c>.</summary>
    [Id(4)] public string? UserId { get; init; }

    /// <summary>Langfuse <c>sessionId</c>.</summary>
    [Id(5)] public string? SessionId { get; init; }

    /// <summary>Langfuse <c>release</c>.</summary>
    [Id(6)] public string? Release { get; init; }

    /// <summary>Langfuse <c>version</c>.</summary>
    [Id(7)] public string? Version { get; init; }

    /// <summary>Langfuse <c>environment</c> (<c>default</c> when never sent).</summary>
    [Id(8)] public string? Environment { get; init; }

    /// <summary>Langfuse <c>public</c>.</summary>
    [Id(9)] public bool? Public { get; init; }

    /// <summary>Tags; merged as a set union.</summary>
    [Id(10)] public ImmutableArray<string>? Tags { get; init; }

    /// <summary>Input as JSON text (any JSON value).</summary>
    [Id(11)] public string? Input { get; init; }

    /// <summary>Output as JSON text (any JSON value).</summary>
    [Id(12)] public string? Output { get; init; }

    /// <summary>Metadata, flattened at the top level as Langfuse v3 stores it: strings as they are, other values as JSON text.</summary>
    [Id(13)] public ImmutableDictionary<string, string>? Metadata { get; init; }

    /// <summary>Row bookkeeping: first written (set by the writer).</summary>
    [Id(14)] public long? CreatedAtMs { get; init; }

    /// <summary>Row bookkeeping: last changed (set by the writer).</summary>
    [Id(15)] public long? UpdatedAtMs { get; init; }

    /// <summary>Row version: the newest envelope timestamp merged into it (ReplacingMergeTree's version column).</summary>
    [Id(16)] public long? EventTsMs { get; init; }

    /// <summary>Langfuse <c>bookmarked</c>.</summary>
    [Id(17)] public bool? Bookmarked { get; init; }
}
