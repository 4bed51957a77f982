namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// A span's Langfuse observation type, as Langfuse's <c>ObservationTypeMapperRegistry</c> decides it: the first of its
/// mappers (in priority order) that recognises the span; <c>SPAN</c> when none does.
/// </summary>
internal static class OtelObservationTypes
{
    private static readonly Dictionary<string, string> LangfuseTypes = new(StringComparer.Ordinal)
    {
        ["span"] = "SPAN", ["generation"] = "GENERATION", ["event"] = "EVENT", ["embedding"] = "EMBEDDING", ["agent"] = "AGENT",
        ["tool"] = "TOOL", ["chain"] = "CHAIN", ["retriever"] = "RETRIEVER", ["guardrail"] = "GUARDRAIL", ["evaluator"] = "EVALUATOR",
    };

    private static readonly Dictionary<string, string> OpenInferenceKinds = new(StringComparer.Ordinal)
    {
        ["CHAIN"] = "CHAIN", ["RETRIEVER"] = "RETRIEVER", ["LLM"] = "GENERATION", ["EMBEDDING"] = "EMBEDDING", ["AGENT"] = "AGENT",
        ["TOOL"] = "TOOL", ["GUARDRAIL"] = "GUARDRAIL", ["EVALUATOR"] = "EVALUATOR",
    };

    private static readonly Dictionary<string, string> GenAiOperations = new(StringComparer.Ordinal)
    {
        ["chat"] = "GENERATION", ["completion"] = "GENERATION", ["text_completion"] = "GENERATION", ["generate_content"] = "GENERATION",
        ["generate"] = "GENERATION", ["embeddings"] = "EMBEDDING", ["invoke_agent"] = "AGENT", ["create_agent"] = "AGENT",
        ["execute_tool"] = "TOOL",
    };

    private static readonly Dictionary<string, string> GenkitSubtypes = new(StringComparer.Ordinal)
    {
        ["background-model"] = "GENERATION", ["model"] = "GENERATION", ["embedder"] = "EMBEDDING", ["tool"] = "TOOL", ["tool.v2"] = "TOOL",
        ["retriever"] = "RETRIEVER", ["evaluator"] = "EVALUATOR",
    };

    private static readonly string[] GenerationAttributeKeys =
    [
        OtelKeys.ObservationModel, OtelKeys.ObservationCostDetails, OtelKeys.ObservationUsageDetails, OtelKeys.ObservationCompletionStartTime,
        OtelKeys.ObservationModelParameters, OtelKeys.ObservationPromptName, OtelKeys.ObservationPromptVersion,
    ];

    private static readonly string[] VercelGenerations = ["ai.generateText.doGenerate", "ai.streamText.doStream", "ai.generateObject.doGenerate", "ai.streamObject.doStream"];
    private static readonly string[] VercelEmbeddings = ["ai.embedMany.doEmbed", "ai.embed.doEmbed"];

    /// <summary>The upper-case observation type of a span.</summary>
    public static string Map(OtelAttributes attributes, OtelAttributes resource, OtlpScope scope, string spanName) =>
        PythonSdkOverride(attributes, resource, scope)
        ?? Simple(attributes, OtelKeys.ObservationType, LangfuseTypes)
        ?? Simple(attributes, "openinference.span.kind", OpenInferenceKinds)
        ?? Simple(attributes, "gen_ai.operation.name", GenAiOperations)
        ?? Simple(attributes, "genkit:metadata:subtype", GenkitSubtypes)
        ?? VercelGenerationLike(attributes)
        ?? VercelSpanLike(attributes)
        ?? (OtelJson.IsMeaningful(attributes["gen_ai.tool.name"]) || OtelJson.IsMeaningful(attributes["gen_ai.tool.call.id"]) ? "TOOL" : null)
        ?? Flue(attributes)
        ?? LiveKit(scope, spanName)
        ?? (ModelKeys.Any(k => OtelJson.IsMeaningful(attributes[k])) ? "GENERATION" : null)
        ?? "SPAN";

    private static readonly string[] ModelKeys = [OtelKeys.ObservationModel, "gen_ai.request.model", "gen_ai.response.model", "llm.model_name", "model"];

    // Python SDK <= 3.3.0 typed generations as spans (langfuse issue 8682): generation attributes make them generations.
    private static string? PythonSdkOverride(OtelAttributes attributes, OtelAttributes resource, OtlpScope scope)
    {
        if (attributes.StringValue(OtelKeys.ObservationType) != "span" || scope.Name != "langfuse-sdk" ||
            resource.StringValue("telemetry.sdk.language") != "python")
        {
            return null;
        }
        if (scope.Version.Length > 0)
        {
            var parts = scope.Version.Split('.');
            var major = parts.Length > 0 && int.TryParse(parts[0], out var m) ? m : 0;
            var minor = parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : 0;
            if (major > 3 || (major == 3 && minor > 3))
            {
                return null;
            }
        }
        return attributes.Keys.Any(k => GenerationAttributeKeys.Contains(k)) ? "GENERATION" : null;
    }

    private static string? Simple(OtelAttributes attributes, string key, Dictionary<string, string> mappings) =>
        OtelJson.IsMeaningful(attributes[key]) && attributes.StringValue(key) is { } value && mappings.TryGetValue(value, out var type) ? type : null;

    // The Vercel AI SDK's model calls: generation or embedding operations that carry a model.
    private static string? VercelGenerationLike(OtelAttributes attributes)
    {
        string[] modelKeys = [OtelKeys.ObservationModel, "ai.model.id", "gen_ai.request.model", "gen_ai.response.model"];
        if (!modelKeys.Any(k => OtelJson.IsMeaningful(attributes[k])))
        {
            return null;
        }
        return MatchesVercelOperation(attributes, VercelGenerations) ? "GENERATION"
            : MatchesVercelOperation(attributes, VercelEmbeddings) ? "EMBEDDING"
            : null;
    }

    private static string? VercelSpanLike(OtelAttributes attributes)
    {
        var operationName = attributes.StringValue("operation.name");
        var operationId = attributes.StringValue("ai.operationId");
        var isAiOperation = (operationName?.StartsWith("ai.", StringComparison.Ordinal) ?? false) ||
            (operationId?.StartsWith("ai.", StringComparison.Ordinal) ?? false);
        if (!isAiOperation || MatchesVercelOperation(attributes, [.. VercelGenerations, .. VercelEmbeddings]))
        {
            return null;
        }
        return MatchesVercelOperation(attributes, ["ai.toolCall"]) ? "TOOL" : null;
    }

    // operation.name starts with a prefix (the SDK appends the function id), or ai.operationId is one.
    private static bool MatchesVercelOperation(OtelAttributes attributes, string[] prefixes)
    {
        var operationName = attributes.StringValue("operation.name");
        var operationId = attributes.StringValue("ai.operationId");
        return (!string.IsNullOrEmpty(operationName) && prefixes.Any(p => operationName.StartsWith(p, StringComparison.Ordinal))) ||
            (!string.IsNullOrEmpty(operationId) && prefixes.Contains(operationId));
    }

    private static string? Flue(OtelAttributes attributes)
    {
        if (OtelJson.IsMeaningful(attributes["flue.tool.name"]) || OtelJson.IsMeaningful(attributes["flue.tool.call_id"]))
        {
            return "TOOL";
        }
        return OtelJson.IsMeaningful(attributes["flue.task.id"]) || OtelJson.IsMeaningful(attributes["flue.task.agent"]) ? "AGENT" : null;
    }

    private static string? LiveKit(OtlpScope scope, string spanName) =>
        scope.Name != "livekit-agents" ? null
        : spanName is "agent_turn" or "start_agent_activity" ? "AGENT"
        : spanName == "function_tool" ? "TOOL"
        : null;
}
