namespace HotDash.Grains;

/// <summary>
/// A Langfuse observation (span, generation, event, agent, tool, ...). As an event body every field but
/// <see cref="Id"/> may be null (not sent); as a stored row it is the merge of every event for that id. Times are UTC
/// epoch milliseconds. The HotDash fields (<see cref="ModelGroup"/> to <see cref="CacheHit"/>) are set by the gateway.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.ObservationRecord")]
public sealed record ObservationRecord([property: Id(0)] string Id)
{
    /// <summary>The Langfuse project (from the API key).</summary>
    [Id(1)] public string ProjectId { get; init; } = "";

    /// <summary>The trace it belongs to; immutable once set.</summary>
    [Id(2)] public string? TraceId { get; init; }

    /// <summary>Langfuse type in upper case: <c>SPAN</c>, <c>GENERATION</c>, <c>EVENT</c>, <c>AGENT</c>, <c>TOOL</c>, <c>CHAIN</c>, <c>RETRIEVER</c>, <c>EVALUATOR</c>, <c>EMBEDDING</c>, <c>GUARDRAIL</c>.</summary>
    [Id(3)] public string? Type { get; init; }

    /// <summary>Parent observation id.</summary>
    [Id(4)] public string? ParentObservationId { get; init; }

    /// <summary>Langfuse <c>environment</c>.</summary>
    [Id(5)] public string? Environment { get; init; }

    /// <summary>Start; immutable once set.</summary>
    [Id(6)] public long? StartTimeMs { get; init; }

    /// <summary>End.</summary>
    [Id(7)] public long? EndTimeMs { get; init; }

    /// <summary>First token (generations): time to first token = this minus <see cref="StartTimeMs"/>.</summary>
    [Id(8)] public long? CompletionStartTimeMs { get; init; }

    /// <summary>Name.</summary>
    [Id(9)] public string? Name { get; init; }

    /// <summary><c>DEBUG</c>, <c>DEFAULT</c>, <c>WARNING</c> or <c>ERROR</c>.</summary>
    [Id(10)] public string? Level { get; init; }

    /// <summary>Status message (the error on failures).</summary>
    [Id(11)] public string? StatusMessage { get; init; }

    /// <summary>Version.</summary>
    [Id(12)] public string? Version { get; init; }

    /// <summary>Input as JSON text.</summary>
    [Id(13)] public string? Input { get; init; }

    /// <summary>Output as JSON text.</summary>
    [Id(14)] public string? Output { get; init; }

    /// <summary>Metadata, top-level keys; strings as they are, other values as JSON text.</summary>
    [Id(15)] public ImmutableDictionary<string, string>? Metadata { get; init; }

    /// <summary>Model parameters as a JSON object's text.</summary>
    [Id(16)] public string? ModelParameters { get; init; }

    /// <summary>The model name as provided (Langfuse <c>model</c> / <c>providedModelName</c>).</summary>
    [Id(17)] public string? Model { get; init; }

    /// <summary>Usage by kind: <c>input</c>, <c>output</c>, <c>total</c>, <c>input_cached_tokens</c>, <c>output_reasoning_tokens</c>, ... (<see cref="UsageKeys"/>).</summary>
    [Id(18)] public ImmutableDictionary<string, long>? UsageDetails { get; init; }

    /// <summary>Cost in USD by kind: <c>input</c>, <c>output</c>, <c>total</c>, ...</summary>
    [Id(19)] public ImmutableDictionary<string, decimal>? CostDetails { get; init; }

    /// <summary>Total cost in USD.</summary>
    [Id(20)] public decimal? TotalCost { get; init; }

    /// <summary>Langfuse prompt name.</summary>
    [Id(21)] public string? PromptName { get; init; }

    /// <summary>Langfuse prompt version.</summary>
    [Id(22)] public int? PromptVersion { get; init; }

    /// <summary>HotDash: the public model name the client asked for (LiteLLM's model group).</summary>
    [Id(23)] public string? ModelGroup { get; init; }

    /// <summary>HotDash: the deployment (<c>model_info.id</c>) that served it.</summary>
    [Id(24)] public string? Deployment { get; init; }

    /// <summary>HotDash: the virtual key's team.</summary>
    [Id(25)] public string? TeamId { get; init; }

    /// <summary>HotDash: the virtual key's alias.</summary>
    [Id(26)] public string? KeyAlias { get; init; }

    /// <summary>HotDash: the request's <c>user</c> field.</summary>
    [Id(27)] public string? EndUser { get; init; }

    /// <summary>HotDash: answered from the cache.</summary>
    [Id(28)] public bool? CacheHit { get; init; }

    /// <summary>Row bookkeeping: first written.</summary>
    [Id(29)] public long? CreatedAtMs { get; init; }

    /// <summary>Row bookkeeping: last changed.</summary>
    [Id(30)] public long? UpdatedAtMs { get; init; }

    /// <summary>Row version: the newest envelope timestamp merged into it.</summary>
    [Id(31)] public long? EventTsMs { get; init; }
}
