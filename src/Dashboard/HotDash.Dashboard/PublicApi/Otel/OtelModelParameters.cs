using System.Text.Json.Nodes;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// A span's model parameters as a JSON object whose values are strings or numbers (Langfuse's <c>extractModelParameters</c>
/// and <c>sanitizeModelParams</c>): <c>langfuse.observation.model.parameters</c>, the Vercel AI SDK's settings,
/// <c>llm.invocation_parameters</c>, <c>model_config</c>, or the <c>gen_ai.request.*</c> attributes. <see langword="null"/> when none.
/// </summary>
internal static class OtelModelParameters
{
    private static readonly (string Name, string[] Keys)[] VercelSettings =
    [
        ("maxSteps", ["ai.settings.maxSteps"]), ("toolChoice", ["ai.prompt.toolChoice"]), ("maxTokens", ["gen_ai.request.max_tokens"]),
        ("finishReason", ["gen_ai.response.finish_reasons", "gen_ai.finishReason"]), ("system", ["gen_ai.system", "ai.model.provider"]),
        ("maxRetries", ["ai.settings.maxRetries"]), ("mode", ["ai.settings.mode"]), ("temperature", ["gen_ai.request.temperature"]),
        ("service_tier", ["gen_ai.request.service_tier"]),
    ];

    public static string? Extract(OtelAttributes a, string scopeName)
    {
        var explicitParameters = ParsedObject(a, OtelKeys.ObservationModelParameters);
        if (explicitParameters is not null && scopeName != "ai")
        {
            return Result(explicitParameters);
        }
        if (scopeName == "genkit-tracer")
        {
            var config = Parsed(a, "genkit:input")?["config"] ?? (Parsed(a, "genkit:output")?["request"] as JsonObject)?["config"];
            if (config is JsonObject genkit)
            {
                return Result(Sanitize(genkit));
            }
        }
        if (scopeName == "ai")
        {
            var settings = new JsonObject();
            foreach (var (name, keys) in VercelSettings)
            {
                // Langfuse writes value?.toString(); absent settings (null there) are left out here.
                if (keys.FirstOrDefault(a.Has) is { } key && a[key] is { } value)
                {
                    settings[name] = ToString(value);
                }
            }
            var serviceTier = (Parsed(a, "ai.response.providerMetadata")?["openai"] as JsonObject)?["serviceTier"];
            if (serviceTier is JsonValue tier && tier.TryGetValue<string>(out var t))
            {
                settings["service_tier"] = t;
            }
            foreach (var (key, value) in explicitParameters ?? [])
            {
                settings[key] = value?.DeepClone();
            }
            return Result(settings);
        }
        foreach (var key in (string[])["llm.invocation_parameters", "model_config"])
        {
            if (ParsedObject(a, key) is { } parsed)
            {
                return Result(parsed);
            }
        }
        var fromPrefixes = new JsonObject();
        foreach (var prefix in (string[])["gen_ai.request.", "llm.invocation_parameters."])
        {
            foreach (var key in a.KeysStartingWith(prefix))
            {
                var name = key[prefix.Length..];
                if (name != "model" && a[key] is { } value)
                {
                    fromPrefixes[name] = Sanitize(OtelJson.ToNode(value));
                }
            }
        }
        return Result(fromPrefixes);
    }

    private static string? Result(JsonObject parameters) => parameters.Count == 0 ? null : OtelJson.Write(parameters);

    // Langfuse keeps strings and numbers and JSON-encodes every other value.
    private static JsonObject Sanitize(JsonObject parameters)
    {
        var result = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            result[key] = Sanitize(value);
        }
        return result;
    }

    private static JsonNode? Sanitize(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.DeepClone(),
        _ => OtelJson.Write(value),
    };

    private static JsonObject? ParsedObject(OtelAttributes a, string key) => Parsed(a, key) is JsonObject obj ? Sanitize(obj) : null;

    private static JsonObject? Parsed(OtelAttributes a, string key) => OtelJson.TryParseObject(a.StringValue(key));

    // JavaScript's value.toString() (arrays join with commas).
    private static string ToString(OtlpAnyValue value) => value.Kind switch
    {
        OtlpValueKind.Array => string.Join(",", value.ArrayValues.Select(ToString)),
        OtlpValueKind.Bool => value.BoolValue ? "true" : "false",
        _ => OtelJson.Stringify(value),
    };
}
