namespace HotDash.Grains;

/// <summary>
/// One ingestion event (a Langfuse <c>batch[]</c> item after validation, an OTLP span, or a gateway request's trace
/// and generation): exactly one of <see cref="Trace"/>, <see cref="Observation"/>, <see cref="Score"/> is set.
/// <see cref="EventId"/> makes replays idempotent; <see cref="TimestampMs"/> orders the merge of events for one entity.
/// </summary>
/// <param name="EventId">The envelope id (<c>batch[].id</c>); unique per event.</param>
/// <param name="TimestampMs">The envelope timestamp, UTC epoch milliseconds.</param>
/// <param name="Type">The Langfuse type (<see cref="TraceEventTypes"/>).</param>
[GenerateSerializer, Immutable, Alias("hotdash.TraceEvent")]
public sealed record TraceEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] long TimestampMs,
    [property: Id(2)] string Type)
{
    /// <summary>The trace body, for <c>trace-create</c>.</summary>
    [Id(3)] public TraceRecord? Trace { get; init; }

    /// <summary>The observation body, for span/generation/event/... creates and updates.</summary>
    [Id(4)] public ObservationRecord? Observation { get; init; }

    /// <summary>The score body, for <c>score-create</c>.</summary>
    [Id(5)] public ScoreRecord? Score { get; init; }

    /// <summary>
    /// The producer guarantees the entity is new: its id was made for this event (the gateway's generation, keyed by
    /// the call id, and its trace when the trace id is the call id), so the writer need not read a stored row to merge
    /// into. A replay stays safe: the store keeps whichever row has the newer version.
    /// </summary>
    [Id(6)] public bool NewEntity { get; init; }

    /// <summary>The project of the entity this event is about.</summary>
    public string ProjectId => Trace?.ProjectId ?? Observation?.ProjectId ?? Score?.ProjectId ?? "";

    /// <summary>The id of the entity this event is about (trace, observation or score id).</summary>
    public string EntityId => Trace?.Id ?? Observation?.Id ?? Score?.Id ?? "";
}
