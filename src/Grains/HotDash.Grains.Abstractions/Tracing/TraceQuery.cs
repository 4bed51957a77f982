namespace HotDash.Grains;

/// <summary>
/// <c>GET /api/public/traces</c>: Langfuse's filters (all optional, combined with AND), newest first unless
/// <see cref="OrderBy"/> says otherwise. <see cref="Page"/> counts from 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.TraceQuery")]
public sealed record TraceQuery([property: Id(0)] string ProjectId, [property: Id(1)] int Page, [property: Id(2)] int Limit)
{
    /// <summary><c>userId</c>.</summary>
    [Id(3)] public string? UserId { get; init; }

    /// <summary><c>name</c>.</summary>
    [Id(4)] public string? Name { get; init; }

    /// <summary><c>sessionId</c>.</summary>
    [Id(5)] public string? SessionId { get; init; }

    /// <summary><c>fromTimestamp</c> (inclusive), epoch ms.</summary>
    [Id(6)] public long? FromTimestampMs { get; init; }

    /// <summary><c>toTimestamp</c> (exclusive), epoch ms.</summary>
    [Id(7)] public long? ToTimestampMs { get; init; }

    /// <summary><c>orderBy</c> column: <c>timestamp</c>, <c>name</c>, <c>userId</c>, <c>release</c>, <c>version</c>, <c>public</c>, <c>bookmarked</c>, <c>sessionId</c>, <c>id</c>.</summary>
    [Id(8)] public string? OrderBy { get; init; }

    /// <summary>Ascending (<c>orderBy=timestamp.asc</c>); default descending.</summary>
    [Id(9)] public bool Ascending { get; init; }

    /// <summary><c>tags</c>: the trace has every one of them.</summary>
    [Id(10)] public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary><c>version</c>.</summary>
    [Id(11)] public string? Version { get; init; }

    /// <summary><c>release</c>.</summary>
    [Id(12)] public string? Release { get; init; }

    /// <summary><c>environment</c>: any of them.</summary>
    [Id(13)] public ImmutableArray<string> Environments { get; init; } = [];

    // The dashboard's filters (not Langfuse query parameters): the store applies them, so paging stays on the server.

    /// <summary>The trace's level, any of them: its worst observation level (<c>ERROR</c> over <c>WARNING</c> over <c>DEFAULT</c> over <c>DEBUG</c>); a trace without observations is <c>DEFAULT</c>.</summary>
    [Id(14)] public ImmutableArray<string> Levels { get; init; } = [];

    /// <summary>An observation of the trace has this model or model group (exact).</summary>
    [Id(15)] public string? Model { get; init; }

    /// <summary>An observation of the trace was made for this team id (exact).</summary>
    [Id(16)] public string? TeamId { get; init; }

    /// <summary>An observation of the trace was made with the key of this alias (exact).</summary>
    [Id(17)] public string? KeyAlias { get; init; }

    /// <summary>Total cost (USD) at least this.</summary>
    [Id(18)] public decimal? MinCost { get; init; }

    /// <summary>Total cost (USD) at most this.</summary>
    [Id(19)] public decimal? MaxCost { get; init; }

    /// <summary>Latency (as <see cref="TraceSummary.LatencySeconds"/>) at least this many seconds.</summary>
    [Id(20)] public double? MinLatencySeconds { get; init; }

    /// <summary>Latency at most this many seconds.</summary>
    [Id(21)] public double? MaxLatencySeconds { get; init; }

    /// <summary>Case-insensitive text in the trace's id, name, input or output, or in any of its observations' input or output.</summary>
    [Id(22)] public string? Search { get; init; }
}
