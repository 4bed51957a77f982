using System.Text.Json.Nodes;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// A span's input and output, found where each instrumentation puts them, in the order Langfuse's
/// <c>extractInputAndOutput</c> looks: Langfuse's own attributes, Genkit, the Vercel AI SDK, Flue, OTel GenAI events,
/// Semantic Kernel events, Google ADK, Logfire, LiveKit, MLflow, TraceLoop, SmolAgents, Pydantic/Pipecat, Pydantic AI,
/// TraceLoop's and OpenInference's flattened messages, and the OTel GenAI message attributes.
/// </summary>
internal static class OtelInputOutput
{
    private const int MaxArraySlots = 10_001;

    // Attributes that carry input/output (or metadata read elsewhere) and so stay out of metadata.attributes.
    private static readonly HashSet<string> InputOutputKeys = new(StringComparer.Ordinal)
    {
        OtelKeys.TraceInput, OtelKeys.TraceOutput, OtelKeys.ObservationInput, OtelKeys.ObservationOutput,
        "ai.prompt.messages", "ai.prompt", "ai.toolCall.args", "ai.response.text", "ai.result.text", "ai.toolCall.result",
        "ai.response.object", "ai.result.object", "ai.response.toolCalls", "ai.result.toolCalls",
        "gcp.vertex.agent.llm_request", "gcp.vertex.agent.llm_response", "gcp.vertex.agent.tool_call_args", "gcp.vertex.agent.tool_response",
        "prompt", "all_messages_events", "events", "lk.input_text", "lk.user_transcript", "lk.chat_ctx", "lk.user_input",
        "lk.function_tool.output", "lk.response.text", "mlflow.spanInputs", "mlflow.spanOutputs", "traceloop.entity.input",
        "traceloop.entity.output", "input.value", "output.value", "final_result", "pydantic_ai.all_messages", "gen_ai.system_instructions",
        "input", "output", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result",
        "genkit:input", "genkit:output", "flue.turn.input", "flue.turn.output", "flue.tool.arguments", "flue.tool.result",
        "flue.task.prompt", "flue.task.result", "flue.operation.result", "flue.workflow.payload", "flue.workflow.result",
    };

    private static readonly string[] InputOutputPrefixes =
    [
        "gen_ai.prompt", "gen_ai.completion", "llm.input_messages", "llm.output_messages", OtelKeys.TraceMetadata,
        OtelKeys.ObservationMetadata, "ai.telemetry.metadata",
    ];

    /// <summary>The input and output as JSON text (<see langword="null"/> when none).</summary>
    public static (string? Input, string? Output) Extract(IReadOnlyList<OtlpSpanEvent> events, OtelAttributes attributes, string scopeName, bool traceDomain)
    {
        var (input, output) = Find(events, attributes, scopeName, traceDomain);
        return (input is null ? null : OtelJson.ToJsonText(input), output is null ? null : OtelJson.ToJsonText(output));
    }

    /// <summary>The span's other attributes, strings as they are and other values as JSON (Langfuse's <c>metadata.attributes</c>).</summary>
    public static JsonObject FilteredAttributes(OtelAttributes attributes)
    {
        var result = new JsonObject();
        foreach (var key in attributes.Keys)
        {
            if (InputOutputKeys.Contains(key) || InputOutputPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || attributes[key] is not { } value)
            {
                continue;
            }
            result[key] = OtelJson.Stringify(value);
        }
        return result;
    }

    private static (JsonNode? Input, JsonNode? Output) Find(IReadOnlyList<OtlpSpanEvent> events, OtelAttributes a, string scopeName, bool traceDomain)
    {
        // Langfuse SDKs.
        var input = traceDomain && a.IsTruthy(OtelKeys.TraceInput) ? Node(a, OtelKeys.TraceInput) : Node(a, OtelKeys.ObservationInput);
        var output = traceDomain && a.IsTruthy(OtelKeys.TraceOutput) ? Node(a, OtelKeys.TraceOutput) : Node(a, OtelKeys.ObservationOutput);
        if (input is not null || output is not null)
        {
            return (input, output);
        }
        if (scopeName == "genkit-tracer")
        {
            var genkitInput = Payload(Node(a, "genkit:input"));
            var genkitOutput = Payload(Node(a, "genkit:output"));
            return ((genkitInput as JsonObject)?["messages"]?.DeepClone() ?? genkitInput, (genkitOutput as JsonObject)?["message"]?.DeepClone() ?? genkitOutput);
        }
        if (scopeName == "ai")
        {
            return VercelAiSdk(a);
        }
        if (scopeName == "@flue/opentelemetry")
        {
            var flueInput = First(a, "flue.turn.input", "flue.tool.arguments", "flue.task.prompt", "flue.workflow.payload");
            var flueOutput = First(a, "flue.turn.output", "flue.tool.result", "flue.task.result", "flue.operation.result", "flue.workflow.result");
            if (flueInput is not null || flueOutput is not null)
            {
                return (Payload(flueInput), Payload(flueOutput));
            }
        }
        // OTel GenAI semconv 1.37+: the messages on a gen_ai.client.inference.operation.details event.
        foreach (var spanEvent in events.Where(e => e.Name == "gen_ai.client.inference.operation.details"))
        {
            if (GenAi(new OtelAttributes(spanEvent.Attributes)) is { } found)
            {
                return found;
            }
        }
        // Older GenAI semconv: one event per message, gen_ai.choice per completion.
        var inputEvents = events.Where(e => e.Name is "gen_ai.system.message" or "gen_ai.user.message" or "gen_ai.assistant.message" or "gen_ai.tool.message").ToList();
        var outputEvents = events.Where(e => e.Name == "gen_ai.choice").ToList();
        if (inputEvents.Count > 0 || outputEvents.Count > 0)
        {
            JsonNode? messages = null;
            if (inputEvents.Count > 0)
            {
                messages = new JsonArray([.. inputEvents.Select(e =>
                {
                    var message = new JsonObject { ["role"] = e.Name["gen_ai.".Length..^".message".Length] };
                    foreach (var (key, value) in new OtelAttributes(e.Attributes).ToObject().ToList())
                    {
                        message[key] = value?.DeepClone();
                    }
                    return (JsonNode)message;
                })]);
            }
            JsonNode? choices = outputEvents.Count switch
            {
                0 => null,
                1 => new OtelAttributes(outputEvents[0].Attributes).ToObject(),
                _ => new JsonArray([.. outputEvents.Select(e => (JsonNode)new OtelAttributes(e.Attributes).ToObject())]),
            };
            return (messages, choices);
        }
        // Semantic Kernel (legacy): gen_ai.content.prompt / gen_ai.content.completion events.
        var promptEvent = events.FirstOrDefault(e => e.Name == "gen_ai.content.prompt");
        var completionEvent = events.FirstOrDefault(e => e.Name == "gen_ai.content.completion");
        if (promptEvent is not null || completionEvent is not null)
        {
            var promptAttributes = new OtelAttributes(promptEvent?.Attributes ?? []);
            var completionAttributes = new OtelAttributes(completionEvent?.Attributes ?? []);
            var eventInput = Find([], promptAttributes, scopeName, traceDomain: false).Input;
            var eventOutput = Find([], completionAttributes, scopeName, traceDomain: false).Output;
            return (Truthy(eventInput) ? eventInput : promptAttributes.ToObject(), Truthy(eventOutput) ? eventOutput : completionAttributes.ToObject());
        }
        // Google ADK: llm_request/llm_response, which are "{}" on tool calls.
        input = Node(a, "gcp.vertex.agent.llm_request");
        output = Node(a, "gcp.vertex.agent.llm_response");
        if (!Truthy(input) || a.StringValue("gcp.vertex.agent.llm_request") == "{}")
        {
            input = Node(a, "gcp.vertex.agent.tool_call_args");
        }
        if (!Truthy(output) || a.StringValue("gcp.vertex.agent.llm_response") == "{}")
        {
            output = Node(a, "gcp.vertex.agent.tool_response");
        }
        if (Truthy(input) || Truthy(output))
        {
            return (input, output);
        }
        if (TruthyPair(a, "prompt", "all_messages_events") is { } logfire)
        {
            return logfire;
        }
        // LiveKit.
        input = First(a, "lk.input_text", "lk.user_transcript", "lk.chat_ctx");
        output = a.IsTruthy("lk.function_tool.output") ? Node(a, "lk.function_tool.output") : Node(a, "lk.response.text");
        if (Truthy(input) || Truthy(output))
        {
            return (input, output);
        }
        if (LogfireEvents(a) is { } logfireEvents)
        {
            return logfireEvents;
        }
        if ((TruthyPair(a, "mlflow.spanInputs", "mlflow.spanOutputs") ?? TruthyPair(a, "traceloop.entity.input", "traceloop.entity.output")
            ?? TruthyPair(a, "input.value", "output.value") ?? TruthyPair(a, "input", "output")) is { } simple)
        {
            return simple;
        }
        if (scopeName == "pydantic-ai")
        {
            input = Node(a, "pydantic_ai.all_messages");
            output = Node(a, "final_result");
            if (Truthy(input) && a["gen_ai.system_instructions"] is { } instructions)
            {
                input = PrependSystemInstructions(input!, OtelJson.ToNode(instructions));
            }
            if (Truthy(input) || Truthy(output))
            {
                return (input, output);
            }
        }
        if (TruthyPair(a, "tool_arguments", "tool_response") is { } pydanticTool)
        {
            return pydanticTool;
        }
        if (a.KeysStartingWith("gen_ai.prompt").Any() || a.KeysStartingWith("gen_ai.completion").Any())
        {
            return (KeyPathToNested(a, "gen_ai.prompt"), KeyPathToNested(a, "gen_ai.completion"));
        }
        if (a.KeysStartingWith("llm.input_messages").Any() || a.KeysStartingWith("llm.output_messages").Any())
        {
            return (KeyPathToNested(a, "llm.input_messages"), KeyPathToNested(a, "llm.output_messages"));
        }
        return GenAi(a) ?? (null, null);
    }

    private static (JsonNode?, JsonNode?) VercelAiSdk(OtelAttributes a)
    {
        var input = a.Has("ai.prompt.messages") ? Node(a, "ai.prompt.messages")
            : a.Has("ai.prompt") ? Node(a, "ai.prompt")
            : a.Has("ai.toolCall.args") ? Node(a, "ai.toolCall.args")
            : null;
        JsonNode? output;
        if (a.Has("ai.response.text") && a.Has("ai.response.toolCalls"))
        {
            // Langfuse stores this as a JSON string of the assistant message.
            output = JsonValue.Create(OtelJson.Write(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = Node(a, "ai.response.text"),
                ["tool_calls"] = Node(a, "ai.response.toolCalls"),
            }));
        }
        else
        {
            output = a.Has("ai.response.text") && a.IsTruthy("ai.response.text") ? Node(a, "ai.response.text")
                : a.Has("ai.result.text") ? Node(a, "ai.result.text")
                : a.Has("ai.toolCall.result") ? Node(a, "ai.toolCall.result")
                : a.Has("ai.response.object") ? Node(a, "ai.response.object")
                : a.Has("ai.result.object") ? Node(a, "ai.result.object")
                : a.Has("ai.response.toolCalls") ? Node(a, "ai.response.toolCalls")
                : a.Has("ai.result.toolCalls") ? Node(a, "ai.result.toolCalls")
                : null;
        }
        var genAi = GenAi(a);
        return (input ?? genAi?.Input, output ?? genAi?.Output);
    }

    // OTel GenAI span attributes: gen_ai.input.messages / gen_ai.output.messages, else the tool call's arguments and result.
    private static (JsonNode? Input, JsonNode? Output)? GenAi(OtelAttributes a)
    {
        var input = Node(a, "gen_ai.input.messages");
        var output = Node(a, "gen_ai.output.messages");
        if (Truthy(input) && a["gen_ai.system_instructions"] is { } instructions)
        {
            input = PrependSystemInstructions(input!, OtelJson.ToNode(instructions));
        }
        if (Truthy(input) || Truthy(output))
        {
            return (input, output);
        }
        return TruthyPair(a, "gen_ai.tool.call.arguments", "gen_ai.tool.call.result");
    }

    // Logfire's single "events" attribute: the gen_ai.choice event is the output, the others the input.
    private static (JsonNode?, JsonNode?)? LogfireEvents(OtelAttributes a)
    {
        var node = Node(a, "events");
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            node = OtelJson.TryParse(text, out var parsed) ? parsed : null;
        }
        if (node is not JsonArray array)
        {
            return null;
        }
        var choice = array.FirstOrDefault(e => EventName(e) == "gen_ai.choice");
        var inputs = array.Where(e => EventName(e) != "gen_ai.choice").ToList();
        if (choice is null && inputs.Count == 0)
        {
            return null;
        }
        return (inputs.Count > 0 ? new JsonArray([.. inputs.Select(i => i?.DeepClone())]) : null, choice?.DeepClone());
    }

    private static string? EventName(JsonNode? e) =>
        e is JsonObject o && o["event.name"] is JsonValue name && name.TryGetValue<string>(out var s) ? s : null;

    // gen_ai.system_instructions become a leading {role: "system"} message unless there is one already.
    private static JsonNode PrependSystemInstructions(JsonNode input, JsonNode? instructions)
    {
        var inputIsText = input is JsonValue iv && iv.TryGetValue<string>(out _);
        JsonNode? messages = input;
        if (inputIsText && !OtelJson.TryParse(input.GetValue<string>(), out messages))
        {
            return input;
        }
        if (messages is not JsonArray list || list.Any(m => m is JsonObject o && o["role"] is JsonValue r && r.TryGetValue<string>(out var role) && role == "system"))
        {
            return input;
        }
        var parsedInstructions = instructions is JsonValue sv && sv.TryGetValue<string>(out var s) && OtelJson.TryParse(s, out var p) ? p : instructions;
        var content = parsedInstructions is JsonArray parts
            ? string.Join("\n", parts.Select(part => part is JsonObject po && po["content"] is { } c ? PlainString(c) : PlainString(part)))
            : PlainString(parsedInstructions);
        var merged = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = content });
        foreach (var message in list)
        {
            merged.Add(message?.DeepClone());
        }
        return inputIsText ? JsonValue.Create(OtelJson.Write(merged)) : merged;
    }

    // JavaScript's String(v).
    private static string PlainString(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject => "[object Object]",
        JsonArray a => string.Join(",", a.Select(PlainString)),
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// TraceLoop's and OpenInference's flattened messages (<c>gen_ai.prompt.0.role</c>, <c>llm.input_messages.1.message.content</c>)
    /// rebuilt as nested arrays and objects; numeric segments are array indices, bounded as Langfuse bounds them.
    /// </summary>
    private static JsonNode? KeyPathToNested(OtelAttributes a, string prefix)
    {
        if (a.IsTruthy(prefix))
        {
            return Node(a, prefix);
        }
        var entries = a.KeysStartingWith(prefix + ".").Select(k => (Path: k[(prefix.Length + 1)..].Split('.'), Value: a[k])).ToList();
        if (entries.Count == 0)
        {
            // Nothing under this prefix (e.g. completions without prompts): no value rather than Langfuse's {}.
            return null;
        }
        var useArray = entries.Any(e => e.Path.Length > 1 && IsIndex(e.Path[0]));
        JsonNode root = useArray ? new JsonArray() : new JsonObject();
        foreach (var (path, value) in entries)
        {
            // Indices are bounded so a crafted key cannot make a huge sparse array.
            if (value is null || (useArray && (path.Length < 2 || !IsIndex(path[0]))) || path.Any(p => IsIndex(p) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) >= MaxArraySlots))
            {
                continue;
            }
            SetPath(root, path, OtelJson.ToNode(value));
        }
        return root;
    }

    private static bool IsIndex(string segment) => segment.Length is > 0 and <= 5 && segment.All(char.IsAsciiDigit);

    private static readonly HashSet<string> DangerousKeys = ["__proto__", "constructor", "prototype"];

    private static void SetPath(JsonNode root, string[] path, JsonNode? value)
    {
        var current = root;
        for (var i = 0; i < path.Length; i++)
        {
            var segment = path[i];
            if (DangerousKeys.Contains(segment))
            {
                return;
            }
            var last = i == path.Length - 1;
            JsonNode? next = last ? value : IsIndex(path[i + 1]) ? new JsonArray() : new JsonObject();
            switch (current)
            {
                case JsonObject obj:
                    if (last)
                    {
                        obj[segment] = next;
                        return;
                    }
                    if (obj[segment] is not (JsonObject or JsonArray))
                    {
                        obj[segment] = next;
                    }
                    current = obj[segment]!;
                    break;
                case JsonArray array when IsIndex(segment):
                    var index = int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture);
                    while (array.Count <= index)
                    {
                        array.Add(null);
                    }
                    if (last)
                    {
                        array[index] = next;
                        return;
                    }
                    if (array[index] is not (JsonObject or JsonArray))
                    {
                        // An array element is an object keyed by the rest of the path (Langfuse's Object.create(null)).
                        array[index] = i == 0 ? new JsonObject() : next;
                    }
                    current = array[index]!;
                    break;
                default:
                    return;
            }
        }
    }

    private static JsonNode? Payload(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && OtelJson.TryParse(s, out var parsed) && parsed is JsonObject or JsonArray ? parsed : node;

    private static JsonNode? First(OtelAttributes a, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (a[key] is { } value)
            {
                return OtelJson.ToNode(value);
            }
        }
        return null;
    }

    private static (JsonNode?, JsonNode?)? TruthyPair(OtelAttributes a, string inputKey, string outputKey) =>
        a.IsTruthy(inputKey) || a.IsTruthy(outputKey) ? (Node(a, inputKey), Node(a, outputKey)) : null;

    private static JsonNode? Node(OtelAttributes a, string key) => a[key] is { } value ? OtelJson.ToNode(value) : null;

    private static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
        JsonValue v when v.TryGetValue<long>(out var l) => l != 0,
        _ => true,
    };
}
