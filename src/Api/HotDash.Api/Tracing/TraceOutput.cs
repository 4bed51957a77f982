using System.Buffers;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Tracing;

/// <summary>
/// The generation's output as LiteLLM logs it: the first choice's assistant <c>message</c> (chat) or its <c>text</c>
/// (completions), taken raw from a non-streamed body, or assembled from a stream's chunks (content, reasoning content and
/// tool calls joined as the client would have joined them).
/// </summary>
internal static class TraceOutput
{
    /// <summary>The output JSON of a non-streamed answer; null when it has no first choice.</summary>
    public static string? FromBody(ReadOnlySpan<byte> body, EndpointKind kind)
    {
        var want = kind == EndpointKind.ChatCompletions ? "message"u8 : "text"u8;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestInspector.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (!isChoices || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var found = reader.ValueTextEquals(want);
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    if (found)
                    {
                        return Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
                    }
                }
                return null;
            }
        }
        catch (JsonException)
        {
            // An upstream's malformed body went to the client as it was; the trace just has no output.
        }
        return null;
    }

    /// <summary>The assembled output JSON of a stream (payloads one per line) and its text, for counting tokens.</summary>
    public static (string? Json, string Text) FromStream(ReadOnlySpan<byte> lines, EndpointKind kind)
    {
        var message = new StreamedMessage();
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf((byte)'\n');
            var line = end < 0 ? lines : lines[..end];
            lines = end < 0 ? default : lines[(end + 1)..];
            if (!line.IsEmpty)
            {
                message.Add(line);
            }
        }
        return kind == EndpointKind.ChatCompletions ? message.ToChatJson() : message.ToTextJson();
    }

    // One stream's first choice, joined chunk by chunk.
    private sealed class StreamedMessage
    {
        private readonly StringBuilder content = new();
        private readonly StringBuilder reasoning = new();
        private readonly List<ToolCall> toolCalls = [];
        private string? role;
        private bool sawContent, sawReasoning;

        public void Add(ReadOnlySpan<byte> chunk)
        {
            try
            {
                var reader = new Utf8JsonReader(chunk, new JsonReaderOptions { MaxDepth = RequestInspector.MaxDepth });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isChoices = reader.ValueTextEquals("choices"u8);
                    reader.Read();
                    if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadChoice(ref reader);
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                // A malformed chunk was relayed as it came; it adds nothing to the output.
            }
        }

        // Only the first choice (index 0, which OpenAI names before the delta) makes the output, as LiteLLM's.
        private void ReadChoice(ref Utf8JsonReader reader)
        {
            var first = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    first = reader.TokenType != JsonTokenType.Number || reader.TryGetInt32(out var i) && i == 0;
                }
                else if (first && reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadDelta(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (first && reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        sawContent = true;
                        Append(ref reader, content);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        private void ReadDelta(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("content"u8) ? 1
                    : reader.ValueTextEquals("reasoning_content"u8) ? 2
                    : reader.ValueTextEquals("role"u8) ? 3
                    : reader.ValueTextEquals("tool_calls"u8) ? 4
                    : 0;
                reader.Read();
                switch (field)
                {
                    case 1 when reader.TokenType == JsonTokenType.String:
                        sawContent = true;
                        Append(ref reader, content);
                        break;
                    case 2 when reader.TokenType == JsonTokenType.String:
                        sawReasoning = true;
                        Append(ref reader, reasoning);
                        break;
                    case 3 when reader.TokenType == JsonTokenType.String:
                        role ??= reader.GetString();
                        break;
                    case 4 when reader.TokenType == JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadToolCall(ref reader);
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }

        private void ReadToolCall(ref Utf8JsonReader reader)
        {
            ToolCall? call = null;
            var index = toolCalls.Count == 0 ? 0 : toolCalls.Count - 1; // a delta without an index continues the last call
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) && i is >= 0 and < 1024)
                    {
                        index = i;
                    }
                    continue;
                }
                call ??= CallAt(index);
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        call.Id ??= reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        call.Type ??= reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var into = reader.ValueTextEquals("name"u8) ? call.Name : reader.ValueTextEquals("arguments"u8) ? call.Arguments : null;
                        reader.Read();
                        if (into is not null && reader.TokenType == JsonTokenType.String)
                        {
                            Append(ref reader, into);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        private ToolCall CallAt(int index)
        {
            while (toolCalls.Count <= index)
            {
                toolCalls.Add(new ToolCall());
            }
            return toolCalls[index];
        }

        public (string? Json, string Text) ToChatJson()
        {
            if (role is null && !sawContent && !sawReasoning && toolCalls.Count == 0)
            {
                return (null, "");
            }
            var text = new StringBuilder().Append(content).Append(reasoning);
            var buffer = new ArrayBufferWriter<byte>(256 + content.Length + reasoning.Length);
            using (var w = new Utf8JsonWriter(buffer, GatewayJsonWriter.Options))
            {
                w.WriteStartObject();
                w.WriteString("role", role ?? "assistant");
                if (sawContent)
                {
                    w.WriteString("content", content.ToString());
                }
                else
                {
                    w.WriteNull("content");
                }
                if (toolCalls.Count > 0)
                {
                    w.WriteStartArray("tool_calls");
                    foreach (var c in toolCalls)
                    {
                        w.WriteStartObject();
                        if (c.Id is not null)
                        {
                            w.WriteString("id", c.Id);
                        }
                        w.WriteString("type", c.Type ?? "function");
                        w.WriteStartObject("function");
                        w.WriteString("name", c.Name.ToString());
                        w.WriteString("arguments", c.Arguments.ToString());
                        w.WriteEndObject();
                        w.WriteEndObject();
                        text.Append(c.Name).Append(c.Arguments);
                    }
                    w.WriteEndArray();
                }
                if (sawReasoning)
                {
                    w.WriteString("reasoning_content", reasoning.ToString());
                }
                w.WriteEndObject();
            }
            return (Encoding.UTF8.GetString(buffer.WrittenSpan), text.ToString());
        }

        public (string? Json, string Text) ToTextJson()
        {
            if (!sawContent)
            {
                return (null, "");
            }
            var text = content.ToString();
            return (TraceJson.String(text), text);
        }

        private static void Append(ref Utf8JsonReader reader, StringBuilder into)
        {
            var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (length <= 512)
            {
                Span<char> chars = stackalloc char[512];
                into.Append(chars[..reader.CopyString(chars)]);
            }
            else
            {
                into.Append(reader.GetString());
            }
        }
    }

    private sealed class ToolCall
    {
        public string? Id { get; set; }
        public string? Type { get; set; }
        public StringBuilder Name { get; } = new();
        public StringBuilder Arguments { get; } = new();
    }
}
