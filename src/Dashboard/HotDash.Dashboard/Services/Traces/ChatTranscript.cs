using System.Text.Json;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// Reads an observation's input or output JSON as chat messages: an OpenAI-style message array, a request body with
/// <c>messages</c>, a single message, or a chat completion with <c>choices</c>. Anything else is not a conversation.
/// </summary>
public static class ChatTranscript
{
    /// <summary>The messages in <paramref name="json"/>; <see langword="null"/> when it is not a conversation.</summary>
    public static IReadOnlyList<ChatMessage>? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            var messages = Messages(doc.RootElement);
            return messages is { Count: > 0 } ? messages : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><paramref name="json"/> indented for display; the text unchanged when it is not JSON.</summary>
    public static string Pretty(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "";
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.String
                ? doc.RootElement.GetString() ?? ""
                : JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static List<ChatMessage>? Messages(JsonElement root)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                var list = new List<ChatMessage>();
                foreach (var item in root.EnumerateArray())
                {
                    if (Message(item) is not { } m)
                    {
                        return null;
                    }
                    list.Add(m);
                }
                return list;
            case JsonValueKind.Object:
                if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
                {
                    return Messages(messages);
                }
                if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
                {
                    var fromChoices = new List<ChatMessage>();
                    foreach (var choice in choices.EnumerateArray())
                    {
                        if (choice.ValueKind == JsonValueKind.Object
                            && (choice.TryGetProperty("message", out var m) || choice.TryGetProperty("delta", out m))
                            && Message(m) is { } msg)
                        {
                            fromChoices.Add(msg);
                        }
                    }
                    return fromChoices;
                }
                return Message(root) is { } single ? [single] : null;
            default:
                return null;
        }
    }

    private static ChatMessage? Message(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var calls = new List<ChatToolCall>();
        if (e.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                var fn = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : call;
                calls.Add(new ChatToolCall(
                    String(call, "id"),
                    String(fn, "name") ?? "(unnamed)",
                    fn.TryGetProperty("arguments", out var args) ? (args.ValueKind == JsonValueKind.String ? args.GetString() ?? "" : args.GetRawText()) : ""));
            }
        }
        return new ChatMessage(role.GetString() ?? "", Content(e), String(e, "name") ?? String(e, "tool_call_id"), calls);
    }

    private static string Content(JsonElement e)
    {
        if (!e.TryGetProperty("content", out var c))
        {
            return "";
        }
        return c.ValueKind switch
        {
            JsonValueKind.String => c.GetString() ?? "",
            JsonValueKind.Null => "",
            JsonValueKind.Array => string.Join("\n", c.EnumerateArray().Select(p =>
                p.ValueKind == JsonValueKind.String ? p.GetString() ?? ""
                : p.ValueKind == JsonValueKind.Object && String(p, "text") is { } text ? text
                : p.GetRawText())),
            _ => c.GetRawText(),
        };
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
