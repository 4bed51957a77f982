namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>The span attributes Langfuse's OTel endpoint gives meaning to (its <c>LangfuseOtelSpanAttributes</c>).</summary>
internal static class OtelKeys
{
    public const string TraceName = "langfuse.trace.name";
    public const string TraceTags = "langfuse.trace.tags";
    public const string TracePublic = "langfuse.trace.public";
    public const string TraceMetadata = "langfuse.trace.metadata";
    public const string TraceInput = "langfuse.trace.input";
    public const string TraceOutput = "langfuse.trace.output";
    public const string TraceUserId = "user.id";
    public const string TraceSessionId = "session.id";
    public const string CompatUserId = "langfuse.user.id";
    public const string CompatSessionId = "langfuse.session.id";

    public const string ObservationType = "langfuse.observation.type";
    public const string ObservationMetadata = "langfuse.observation.metadata";
    public const string ObservationLevel = "langfuse.observation.level";
    public const string ObservationStatusMessage = "langfuse.observation.status_message";
    public const string ObservationInput = "langfuse.observation.input";
    public const string ObservationOutput = "langfuse.observation.output";
    public const string ObservationCompletionStartTime = "langfuse.observation.completion_start_time";
    public const string ObservationModel = "langfuse.observation.model.name";
    public const string ObservationModelParameters = "langfuse.observation.model.parameters";
    public const string ObservationUsageDetails = "langfuse.observation.usage_details";
    public const string ObservationCostDetails = "langfuse.observation.cost_details";
    public const string ObservationPromptName = "langfuse.observation.prompt.name";
    public const string ObservationPromptVersion = "langfuse.observation.prompt.version";

    public const string Environment = "langfuse.environment";
    public const string Release = "langfuse.release";
    public const string Version = "langfuse.version";
    public const string AsRoot = "langfuse.internal.as_root";
}
