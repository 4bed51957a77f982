namespace HotDash.Grains;

/// <summary>Langfuse ingestion event types (<c>batch[].type</c>) HotDash accepts.</summary>
public static class TraceEventTypes
{
    /// <summary>Creates or updates a trace (Langfuse upserts traces).</summary>
    public const string TraceCreate = "trace-create";

    /// <summary>Creates a span.</summary>
    public const string SpanCreate = "span-create";

    /// <summary>Updates a span.</summary>
    public const string SpanUpdate = "span-update";

    /// <summary>Creates a generation.</summary>
    public const string GenerationCreate = "generation-create";

    /// <summary>Updates a generation.</summary>
    public const string GenerationUpdate = "generation-update";

    /// <summary>Creates an event observation.</summary>
    public const string EventCreate = "event-create";

    /// <summary>Creates (or replaces) a score.</summary>
    public const string ScoreCreate = "score-create";

    /// <summary>An SDK log line: accepted and dropped.</summary>
    public const string SdkLog = "sdk-log";

    /// <summary>Creates an observation of another type: <c>agent-create</c>, <c>tool-create</c>, <c>chain-create</c>, <c>retriever-create</c>, <c>evaluator-create</c>, <c>embedding-create</c>, <c>guardrail-create</c>.</summary>
    public static readonly ImmutableArray<string> OtherObservationCreates =
        ["agent-create", "tool-create", "chain-create", "retriever-create", "evaluator-create", "embedding-create", "guardrail-create"];
}
