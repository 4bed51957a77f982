using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HotDash.Dashboard.PublicApi.Ingestion;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// Maps OTLP spans to HotDash trace events as Langfuse's OTel endpoint does (its <c>OtelIngestionProcessor</c>): every
/// span becomes an observation (<c>{type}-create</c>, id = span id, trace id = trace id, parent = parent span id), and a
/// trace gets a <c>trace-create</c> from each root span (<c>langfuse.internal.as_root</c> counts as root), from each span
/// that sets trace attributes (<c>langfuse.trace.*</c>, <c>user.id</c>, <c>session.id</c>, ...), and otherwise one
/// minimal one (id, time, environment) for a trace first seen in the export; minimal ones are dropped when the export
/// has a full one for the same trace.
/// </summary>
public static class OtelSpanMapper
{
    private static readonly Dictionary<string, string> LevelAliases = new(StringComparer.Ordinal)
    {
        ["DEBUG"] = "DEBUG", ["TRACE"] = "DEBUG", ["VERBOSE"] = "DEBUG", ["DEFAULT"] = "DEFAULT", ["INFO"] = "DEFAULT", ["LOG"] = "DEFAULT",
        ["NOTICE"] = "DEFAULT", ["OK"] = "DEFAULT", ["SUCCESS"] = "DEFAULT", ["WARNING"] = "WARNING", ["WARN"] = "WARNING", ["ERROR"] = "ERROR",
        ["FATAL"] = "ERROR", ["CRITICAL"] = "ERROR",
    };

    private static readonly HashSet<string> LiveKitDebugSpanNames =
    [
        "user_speaking", "eou_detection", "llm_request_run", "tts_node", "tts_request", "tts_request_run", "tts_stream_adapter",
        "agent_speaking", "drain_agent_activity", "on_exit", "on_enter", "llm_fallback_adapter", "tts_fallback_adapter",
        "start_agent_activity",
    ];

    private static readonly string[] TraceUpdateKeys =
    [
        OtelKeys.TraceName, OtelKeys.TraceInput, OtelKeys.TraceOutput, OtelKeys.TraceMetadata, OtelKeys.TraceUserId, OtelKeys.TraceSessionId,
        OtelKeys.TracePublic, OtelKeys.TraceTags, OtelKeys.CompatUserId, OtelKeys.CompatSessionId,
        $"{OtelKeys.ObservationMetadata}.langfuse_user_id", $"{OtelKeys.ObservationMetadata}.langfuse_session_id",
        $"{OtelKeys.ObservationMetadata}.langfuse_tags", $"{OtelKeys.TraceMetadata}.langfuse_session_id",
        $"{OtelKeys.TraceMetadata}.langfuse_user_id", $"{OtelKeys.TraceMetadata}.langfuse_tags",
        "ai.telemetry.metadata.sessionId", "ai.telemetry.metadata.userId", "ai.telemetry.metadata.tags", "tag.tags",
    ];

    private static readonly HashSet<string> ExcludedTelemetryMetadata =
        ["ai.telemetry.metadata.userId", "ai.telemetry.metadata.sessionId", "ai.telemetry.metadata.tags", "ai.telemetry.metadata.langfusePrompt"];

    /// <summary>Maps an export; spans without start and end time are placed now.</summary>
    public static ImmutableArray<TraceEvent> Map(ImmutableArray<OtlpResourceSpans> resourceSpans, string projectId) =>
        Map(resourceSpans, projectId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>
    /// Maps an export. Envelope timestamps come from the spans (a trace event's is its span's start, an observation's
    /// its span's end), and event ids are derived from the span, so mapping the same export twice gives the same events.
    /// </summary>
    /// <param name="resourceSpans">The parsed export.</param>
    /// <param name="projectId">The project of the API key.</param>
    /// <param name="nowMs">The time for spans that carry neither start nor end time, UTC epoch ms.</param>
    public static ImmutableArray<TraceEvent> Map(ImmutableArray<OtlpResourceSpans> resourceSpans, string projectId, long nowMs)
    {
        var events = new List<(TraceEvent Event, bool Shallow)>();
        var seenTraces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resourceSpans)
        {
            var resourceAttributes = new OtelAttributes(resource.ResourceAttributes);
            var resourceMetadata = ExtractMetadata(resourceAttributes, OtelKeys.TraceMetadata);
            foreach (var scopeSpans in resource.ScopeSpans)
            {
                var context = new ScopeContext(projectId, scopeSpans.Scope, resourceAttributes, resourceMetadata, nowMs);
                foreach (var span in scopeSpans.Spans)
                {
                    MapSpan(span, context, seenTraces, events);
                }
            }
        }
        var fullTraces = events.Where(e => e.Event.Trace is not null && !e.Shallow).Select(e => e.Event.Trace!.Id).ToHashSet(StringComparer.Ordinal);
        return [.. events.Where(e => !e.Shallow || !fullTraces.Contains(e.Event.Trace!.Id)).Select(e => e.Event)];
    }

    private static void MapSpan(OtlpSpan span, ScopeContext context, HashSet<string> seenTraces, List<(TraceEvent, bool)> events)
    {
        var attributes = new OtelAttributes(span.Attributes);
        var spanMetadata = ExtractMetadata(attributes, OtelKeys.ObservationMetadata);
        var (startMs, endMs) = Times(span, context.NowMs);
        var isRoot = span.ParentSpanId is null || attributes[OtelKeys.AsRoot] is { } asRoot && OtelJson.Stringify(asRoot) == "true";
        var hasTraceUpdates = TraceUpdateKeys.Any(attributes.IsTruthy) || attributes.KeysStartingWith(OtelKeys.TraceMetadata).Any();
        var firstOfTrace = seenTraces.Add(span.TraceId);
        if (isRoot || hasTraceUpdates || firstOfTrace)
        {
            var trace = TraceRecordOf(span, attributes, spanMetadata, context, startMs, isRoot, hasTraceUpdates);
            events.Add((new TraceEvent(EventId(context.ProjectId, "trace", span), startMs, TraceEventTypes.TraceCreate) { Trace = trace },
                !isRoot && !hasTraceUpdates));
        }
        var observation = ObservationOf(span, attributes, spanMetadata, context, startMs, endMs);
        events.Add((new TraceEvent(EventId(context.ProjectId, "observation", span), endMs, $"{observation.Type!.ToLowerInvariant()}-create")
        {
            Observation = observation,
        }, false));
    }

    private static TraceRecord TraceRecordOf(OtlpSpan span, OtelAttributes a, Dictionary<string, string> spanMetadata, ScopeContext context,
        long startMs, bool isRoot, bool hasTraceUpdates)
    {
        var trace = new TraceRecord(span.TraceId)
        {
            ProjectId = context.ProjectId,
            TimestampMs = startMs,
            Environment = Environment(a, context.Resource),
        };
        if (!isRoot && !hasTraceUpdates)
        {
            return trace;
        }
        var metadata = new Dictionary<string, string>(context.ResourceMetadata, StringComparer.Ordinal);
        Merge(metadata, ExtractMetadata(a, OtelKeys.TraceMetadata));
        string? input, output;
        string? name;
        if (isRoot)
        {
            Merge(metadata, spanMetadata);
            if (!context.IsLangfuseSdk)
            {
                metadata["attributes"] = OtelJson.Write(OtelInputOutput.FilteredAttributes(a));
            }
            (input, output) = OtelInputOutput.Extract(span.Events, a, context.Scope.Name, traceDomain: true);
            name = a.String(OtelKeys.TraceName) ?? ExtractName(span.Name, a);
        }
        else
        {
            input = a[OtelKeys.TraceInput] is { } traceInput ? OtelJson.ToJsonText(traceInput) : null;
            output = a[OtelKeys.TraceOutput] is { } traceOutput ? OtelJson.ToJsonText(traceOutput) : null;
            name = a.String(OtelKeys.TraceName);
        }
        metadata["resourceAttributes"] = OtelJson.Write(context.Resource.ToObject());
        metadata["scope"] = context.ScopeJson;
        return trace with
        {
            Name = name,
            Metadata = metadata.ToImmutableDictionary(StringComparer.Ordinal),
            Version = a.String(OtelKeys.Version) ?? context.Resource.String("service.version"),
            Release = a.String(OtelKeys.Release) ?? context.Resource.String(OtelKeys.Release),
            UserId = FirstTruthy(a, OtelKeys.CompatUserId, OtelKeys.TraceUserId, $"{OtelKeys.ObservationMetadata}.langfuse_user_id",
                $"{OtelKeys.TraceMetadata}.langfuse_user_id", "ai.telemetry.metadata.userId"),
            SessionId = FirstTruthy(a, OtelKeys.CompatSessionId, OtelKeys.TraceSessionId, "gen_ai.conversation.id",
                $"{OtelKeys.ObservationMetadata}.langfuse_session_id", $"{OtelKeys.TraceMetadata}.langfuse_session_id",
                "ai.telemetry.metadata.sessionId"),
            Public = (a[OtelKeys.TracePublic] ?? a["langfuse.public"]) is { } isPublic ? OtelJson.Stringify(isPublic) == "true" : null,
            Tags = Tags(a),
            Input = input,
            Output = output,
        };
    }

    private static ObservationRecord ObservationOf(OtlpSpan span, OtelAttributes a, Dictionary<string, string> spanMetadata, ScopeContext context,
        long startMs, long endMs)
    {
        var (input, output) = OtelInputOutput.Extract(span.Events, a, context.Scope.Name, traceDomain: false);
        var metadata = new Dictionary<string, string>(context.ResourceMetadata, StringComparer.Ordinal);
        Merge(metadata, spanMetadata);
        if (!context.IsLangfuseSdk)
        {
            metadata["attributes"] = OtelJson.Write(OtelInputOutput.FilteredAttributes(a));
        }
        metadata["resourceAttributes"] = OtelJson.Write(context.Resource.ToObject());
        metadata["scope"] = context.ScopeJson;
        var type = OtelObservationTypes.Map(a, context.Resource, context.Scope, span.Name);
        // The Vercel AI SDK's agent spans repeat their model calls' usage; counting it twice would double the cost.
        var isAgentOperation = a.StringValue("gen_ai.operation.name") is "invoke_agent" or "agent_step";
        var (costDetails, totalCost) = isAgentOperation ? (null, null) : UsageMath.CompleteCost(OtelUsage.Cost(a));
        var isGeneration = type == "GENERATION";
        var prompt = isGeneration ? AiSdkPrompt(a) : null;
        return new ObservationRecord(span.SpanId)
        {
            ProjectId = context.ProjectId,
            TraceId = span.TraceId,
            Type = type,
            ParentObservationId = span.ParentSpanId,
            Name = ExtractName(span.Name, a),
            StartTimeMs = startMs,
            EndTimeMs = endMs,
            Environment = Environment(a, context.Resource),
            CompletionStartTimeMs = CompletionStart(a, startMs),
            Metadata = metadata.ToImmutableDictionary(StringComparer.Ordinal),
            Level = (a.StringValue(OtelKeys.ObservationLevel) is { } level && LevelAliases.TryGetValue(level.Trim().ToUpperInvariant(), out var mapped) ? mapped : null)
                ?? (span.Status.Code == OtlpStatus.Error ? "ERROR"
                    : context.Scope.Name == "livekit-agents" && LiveKitDebugSpanNames.Contains(span.Name) ? "DEBUG"
                    : "DEFAULT"),
            StatusMessage = a.String(OtelKeys.ObservationStatusMessage) ?? (span.Status.Message.Length > 0 ? span.Status.Message : null),
            Version = a.String(OtelKeys.Version) ?? context.Resource.String("service.version"),
            ModelParameters = OtelModelParameters.Extract(a, context.Scope.Name),
            Model = isAgentOperation ? null : ModelName(a),
            PromptName = isGeneration ? a.String(OtelKeys.ObservationPromptName) ?? a.String("langfuse.prompt.name") ?? prompt?.Name : null,
            PromptVersion = isGeneration ? Int(a[OtelKeys.ObservationPromptVersion] ?? a["langfuse.prompt.version"]) ?? prompt?.Version : null,
            UsageDetails = isAgentOperation ? null : UsageMath.CompleteUsage(OtelUsage.Usage(a, context.Scope.Name)),
            CostDetails = costDetails,
            TotalCost = totalCost,
            Input = input,
            Output = output,
        };
    }

    // Langfuse's extractMetadata: the prefix attribute as a JSON object (or langfuse.metadata), then prefix.* keys.
    private static Dictionary<string, string> ExtractMetadata(OtelAttributes a, string prefix)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var top = a.IsTruthy(prefix) ? a[prefix] : a["langfuse.metadata"];
        if (top is { Kind: OtlpValueKind.String } && OtelJson.TryParseObject(top.StringValue) is { } parsed)
        {
            foreach (var (key, value) in parsed)
            {
                metadata[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : OtelJson.Write(value);
            }
        }
        else if (top is { Kind: OtlpValueKind.KeyValueList })
        {
            foreach (var kv in top.KeyValues)
            {
                metadata[kv.Key] = OtelJson.Stringify(kv.Value);
            }
        }
        foreach (var key in a.Keys)
        {
            foreach (var p in (string[])[prefix, "langfuse.metadata", "ai.telemetry.metadata"])
            {
                if (key.Length > p.Length + 1 && key.StartsWith(p, StringComparison.Ordinal) && key[p.Length] == '.' &&
                    !ExcludedTelemetryMetadata.Contains(key) && a[key] is { } value)
                {
                    metadata[key[(p.Length + 1)..]] = OtelJson.Stringify(value);
                }
            }
        }
        return metadata;
    }

    private static void Merge(Dictionary<string, string> into, Dictionary<string, string> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = value;
        }
    }

    private static string Environment(OtelAttributes a, OtelAttributes resource)
    {
        foreach (var key in (string[])[OtelKeys.Environment, "deployment.environment.name", "deployment.environment"])
        {
            foreach (var source in (OtelAttributes[])[a, resource])
            {
                if (source.IsTruthy(key))
                {
                    return source.StringValue(key) is { } text ? EnvironmentNames.Normalize(text) : EnvironmentNames.Default;
                }
            }
        }
        return EnvironmentNames.Default;
    }

    // Langfuse's extractName: tool names, Genkit, Logfire messages and the Vercel AI SDK's operation ids before the span name.
    private static string ExtractName(string spanName, OtelAttributes a)
    {
        if (a.TruthyString("gen_ai.tool.name") is { } tool)
        {
            return tool;
        }
        if (a.Has("genkit:name"))
        {
            return a.String("genkit:name") ?? spanName;
        }
        if (a.TruthyString("logfire.msg") is { } message)
        {
            return message;
        }
        if (a.Has("ai.toolCall.name"))
        {
            return a.String("ai.toolCall.name") ?? spanName;
        }
        if (a.Has("ai.operationId"))
        {
            var prefix = a.TruthyString("ai.telemetry.functionId") is { } functionId ? functionId + ":" : "";
            return prefix + a.String("ai.operationId");
        }
        return spanName;
    }

    private static string? ModelName(OtelAttributes a)
    {
        var name = FirstTruthy(a, OtelKeys.ObservationModel, "gen_ai.response.model", "ai.model.id", "gen_ai.request.model", "llm.response.model",
            "llm.model_name", "model");
        return name ?? (a.StringValue("genkit:metadata:subtype") == "model" ? a.TruthyString("genkit:name") : null);
    }

    private static long? CompletionStart(OtelAttributes a, long startMs)
    {
        if (a.StringValue(OtelKeys.ObservationCompletionStartTime) is { } text)
        {
            if (IsoTimestamp.TryParse(text, out var ms))
            {
                return ms;
            }
            // Older SDKs double-encode it: "\"2025-10-01T08:45:26.112648Z\"".
            if (OtelJson.TryParse(text, out var node) && node is JsonValue v && v.TryGetValue<string>(out var inner) && IsoTimestamp.TryParse(inner, out ms))
            {
                return ms;
            }
        }
        var msToFirstChunk = a["ai.response.msToFirstChunk"] ?? a["ai.stream.msToFirstChunk"];
        return OtelJson.IsTruthy(msToFirstChunk) && OtelJson.ToNumber(msToFirstChunk!) is { } delay && double.IsFinite(delay)
            ? startMs + (long)Math.Ceiling(delay)
            : null;
    }

    private static ImmutableArray<string>? Tags(OtelAttributes a)
    {
        var value = new[]
        {
            OtelKeys.TraceTags, "langfuse.tags", $"{OtelKeys.ObservationMetadata}.langfuse_tags", $"{OtelKeys.TraceMetadata}.langfuse_tags",
            "ai.telemetry.metadata.tags", "tag.tags",
        }.Select(k => a[k]).FirstOrDefault(OtelJson.IsTruthy);
        switch (value)
        {
            case null:
                return null;
            case { Kind: OtlpValueKind.Array }:
                return [.. value.ArrayValues.Select(OtelJson.Stringify)];
            case { Kind: OtlpValueKind.String }:
                var text = value.StringValue!;
                if (text.TrimStart().StartsWith('[') && OtelJson.TryParse(text, out var node) && node is JsonArray array)
                {
                    return [.. array.Select(t => t is JsonValue tv && tv.TryGetValue<string>(out var s) ? s : OtelJson.Write(t))];
                }
                return text.Contains(',') ? [.. text.Split(',').Select(t => t.Trim())] : [text];
            default:
                return null;
        }
    }

    // The Vercel AI SDK links prompts through ai.telemetry.metadata.langfusePrompt = {"name": ..., "version": ...}.
    private static (string? Name, int? Version)? AiSdkPrompt(OtelAttributes a)
    {
        if (OtelJson.TryParseObject(a.StringValue("ai.telemetry.metadata.langfusePrompt")) is not { } prompt)
        {
            return null;
        }
        var name = prompt["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
        int? version = prompt["version"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
        return (name, version);
    }

    private static int? Int(OtlpAnyValue? value) => value is null ? null
        : OtelJson.ToNumber(value) is { } d && Math.Floor(d) == d && d is >= int.MinValue and <= int.MaxValue ? (int)d
        : null;

    private static string? FirstTruthy(OtelAttributes a, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (a.TruthyString(key) is { } value)
            {
                return value;
            }
        }
        return null;
    }

    // A missing edge takes the other one; neither gives now (Langfuse's resolveSpanTimestamps).
    private static (long StartMs, long EndMs) Times(OtlpSpan span, long nowMs)
    {
        long? start = span.StartTimeUnixNano > 0 ? (long)(span.StartTimeUnixNano / 1_000_000) : null;
        long? end = span.EndTimeUnixNano > 0 ? (long)(span.EndTimeUnixNano / 1_000_000) : null;
        return (start ?? end ?? nowMs, end ?? start ?? nowMs);
    }

    // Stable per project, kind, trace, span and end time: a re-sent export maps to the same event ids.
    private static string EventId(string projectId, string kind, OtlpSpan span)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"otel/{projectId}/{kind}/{span.TraceId}/{span.SpanId}/{span.EndTimeUnixNano}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // UUID version 8 (name-based, custom hash)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    private sealed class ScopeContext(string projectId, OtlpScope scope, OtelAttributes resource, Dictionary<string, string> resourceMetadata, long nowMs)
    {
        public string ProjectId { get; } = projectId;

        public OtlpScope Scope { get; } = scope;

        public OtelAttributes Resource { get; } = resource;

        public Dictionary<string, string> ResourceMetadata { get; } = resourceMetadata;

        public long NowMs { get; } = nowMs;

        public bool IsLangfuseSdk { get; } = scope.Name.StartsWith("langfuse-sdk", StringComparison.Ordinal);

        // Langfuse's metadata.scope: the scope with its attributes as a plain object.
        public string ScopeJson { get; } = OtelJson.Write(ScopeObject(scope));

        private static JsonObject ScopeObject(OtlpScope scope)
        {
            var obj = new JsonObject { ["name"] = scope.Name };
            if (scope.Version.Length > 0)
            {
                obj["version"] = scope.Version;
            }
            obj["attributes"] = new OtelAttributes(scope.Attributes).ToObject();
            return obj;
        }
    }
}
