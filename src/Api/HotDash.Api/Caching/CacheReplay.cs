using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Caching;

/// <summary>
/// Converts cached answers between their two OpenAI forms, for chat completions (<c>chat.completion</c> /
/// <c>chat.completion.chunk</c>) and text completions (<c>text_completion</c>); embeddings are only ever plain. A streamed
/// entry asked for without <c>stream</c> is <see cref="Assemble"/>d into the body OpenAI would have sent; a plain entry
/// asked for with <c>stream</c> is <see cref="Synthesize"/>d into the chunks OpenAI would have streamed. Content, reasoning
/// content, refusals, tool calls, finish reasons and usage survive both ways exactly; logprobs are not carried (null).
/// </summary>
internal static class CacheReplay
{
    private static readonly JsonWriterOptions WriterOptions = GatewayJsonWriter.Options;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = RequestInspector.MaxDepth };

    /// <summary>
    /// A stream's chunk payloads (the JSON after <c>data: </c>, without <c>[DONE]</c>) as the non-streamed answer: id,
    /// created, model and system_fingerprint from the chunks, each choice (by index) with its role, content,
    /// reasoning_content, refusal and tool calls merged from the deltas (by tool-call index; arguments concatenated),
    /// its last finish_reason, logprobs null, and the usage chunk's usage.
    /// </summary>
    public static byte[] Assemble(ImmutableArray<byte[]> chunks, bool chat)
    {
        var state = new Assembly();
        if (!chunks.IsDefault)
        {
            foreach (var chunk in chunks)
            {
                ReadChunk(chunk, state);
            }
        }
        state.Choices.Sort(static (a, b) => a.Index.CompareTo(b.Index));

        var output = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id"u8, state.Id ?? "");
            w.WriteString("object"u8, chat ? "chat.completion"u8 : "text_completion"u8);
            if (state.Created is { } created)
            {
                w.WritePropertyName("created"u8);
                w.WriteRawValue(created, skipInputValidation: true);
            }
            else
            {
                w.WriteNumber("created"u8, 0);
            }
            w.WriteString("model"u8, state.Model ?? "");
            if (state.SystemFingerprint is { } fingerprint)
            {
                w.WriteString("system_fingerprint"u8, fingerprint);
            }
            if (state.ServiceTier is { } tier)
            {
                w.WriteString("service_tier"u8, tier);
            }
            w.WriteStartArray("choices"u8);
            foreach (var c in state.Choices)
            {
                WriteAssembledChoice(w, c, chat);
            }
            w.WriteEndArray();
            if (state.Usage is { } usage)
            {
                w.WritePropertyName("usage"u8);
                w.WriteRawValue(usage, skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A non-streamed answer as the chunk payloads OpenAI would stream: per choice a first chunk with the role (and
    /// <c>content: ""</c>, or null when the message's content is null), a reasoning_content chunk, a content chunk, a
    /// refusal chunk and one chunk per tool call when present, then a final chunk with an empty delta and the
    /// finish_reason; last, when the body has usage, a usage chunk <c>{..., "choices": [], "usage": {...}}</c>.
    /// Text completions get a text chunk and a final chunk per choice.
    /// </summary>
    public static IReadOnlyList<byte[]> Synthesize(ReadOnlySpan<byte> body, bool chat)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        var chunks = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>(512);

        if (root.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            var position = 0;
            foreach (var choice in choices.EnumerateArray())
            {
                var index = choice.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number ? i : default;
                var finish = choice.TryGetProperty("finish_reason"u8, out var f) ? f : default;
                if (chat)
                {
                    SynthesizeChat(root, choice, index, position, finish, chunks, buffer);
                }
                else
                {
                    var text = choice.TryGetProperty("text"u8, out var t) && t.ValueKind == JsonValueKind.String ? t : default;
                    chunks.Add(Chunk(root, chat, buffer, w => WriteTextChoice(w, index, position, text, default)));
                    chunks.Add(Chunk(root, chat, buffer, w => WriteTextChoice(w, index, position, default, finish)));
                }
                position++;
            }
        }
        if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            chunks.Add(Chunk(root, chat, buffer, w =>
            {
                w.WriteStartArray("choices"u8);
                w.WriteEndArray();
                w.WritePropertyName("usage"u8);
                usage.WriteTo(w);
            }));
        }
        return chunks;
    }

    /// <summary>
    /// Writes <paramref name="chunks"/> as OpenAI's SSE (<c>data: {json}\n\n</c> each, flushed one by one, then
    /// <c>data: [DONE]\n\n</c>) with the streaming headers the relay sets. The usage-only chunk is left out unless the
    /// request asked for <c>stream_options.include_usage</c>. Stops quietly when the client goes away.
    /// </summary>
    public static async Task WriteStreamAsync(HttpResponse response, IReadOnlyList<byte[]> chunks, bool includeUsage, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            response.ContentType = "text/event-stream";
            SseWriter.PrepareResponse(response.HttpContext);
        }
        var writer = response.BodyWriter;
        try
        {
            foreach (var chunk in chunks)
            {
                if (!includeUsage && IsUsageOnly(chunk))
                {
                    continue;
                }
                SseWriter.WriteEvent(writer, chunk);
                var flush = await writer.FlushAsync(cancellationToken);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    return;
                }
            }
            SseWriter.WriteDone(writer);
            await writer.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: nobody to write to.
        }
    }

    /// <summary>A chunk that only carries usage: its <c>choices</c> is empty and it has a <c>usage</c> object.</summary>
    public static bool IsUsageOnly(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IndexOf("\"usage\""u8) < 0)
        {
            return false;
        }
        var reader = new Utf8JsonReader(chunk, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        bool emptyChoices = false, usage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isChoices = reader.ValueTextEquals("choices"u8);
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isChoices)
            {
                emptyChoices = reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
            }
            else if (isUsage)
            {
                usage = reader.TokenType == JsonTokenType.StartObject;
            }
            reader.Skip();
        }
        return emptyChoices && usage;
    }

    // ---- Assemble ----

    private sealed class Assembly
    {
        public string? Id;
        public byte[]? Created;
        public string? Model;
        public string? SystemFingerprint;
        public string? ServiceTier;
        public byte[]? Usage;
        public readonly List<ChoiceParts> Choices = [];

        public ChoiceParts Choice(int index)
        {
            foreach (var c in Choices)
            {
                if (c.Index == index)
                {
                    return c;
                }
            }
            var added = new ChoiceParts(index);
            Choices.Add(added);
            return added;
        }
    }

    private sealed class ChoiceParts(int index)
    {
        public int Index { get; } = index;
        public string? Role;
        public readonly TextParts Content = new();
        public readonly TextParts Reasoning = new();
        public readonly TextParts Refusal = new();
        public string? FinishReason;
        public readonly List<ToolCallParts> ToolCalls = [];
        public ToolCallParts? FunctionCall;

        public ToolCallParts ToolCall(int index)
        {
            foreach (var t in ToolCalls)
            {
                if (t.Index == index)
                {
                    return t;
                }
            }
            var added = new ToolCallParts(index);
            ToolCalls.Add(added);
            return added;
        }
    }

    private sealed class ToolCallParts(int index)
    {
        public int Index { get; } = index;
        public string? Id;
        public string? Type;
        public readonly TextParts Name = new();
        public readonly TextParts Arguments = new();
    }

    // A string's pieces as the upstream escaped them, concatenated: each piece is a whole JSON string's content, so the
    // concatenation is one valid JSON string (a surrogate pair split over two chunks joins up again), written unchanged.
    private sealed class TextParts
    {
        private ArrayBufferWriter<byte>? bytes;

        public bool Seen { get; private set; }

        public bool IsEmpty => bytes is null || bytes.WrittenCount == 0;

        public void Append(ref Utf8JsonReader reader)
        {
            Seen = true;
            var piece = reader.ValueSpan;
            if (piece.IsEmpty)
            {
                return;
            }
            bytes ??= new ArrayBufferWriter<byte>(Math.Max(piece.Length + 2, 256));
            bytes.Write(piece);
        }

        public void Write(Utf8JsonWriter w, ReadOnlySpan<byte> name)
        {
            w.WritePropertyName(name);
            var raw = bytes is null ? default : bytes.WrittenSpan;
            var quoted = ArrayPool<byte>.Shared.Rent(raw.Length + 2);
            try
            {
                quoted[0] = (byte)'"';
                raw.CopyTo(quoted.AsSpan(1));
                quoted[raw.Length + 1] = (byte)'"';
                w.WriteRawValue(quoted.AsSpan(0, raw.Length + 2), skipInputValidation: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(quoted);
            }
        }
    }

    private static void ReadChunk(byte[] chunk, Assembly state)
    {
        var reader = new Utf8JsonReader(chunk, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = TopFieldOf(ref reader);
            reader.Read();
            switch (field)
            {
                case TopField.Id when reader.TokenType == JsonTokenType.String:
                    state.Id ??= reader.GetString();
                    break;
                case TopField.Created when reader.TokenType == JsonTokenType.Number:
                    state.Created ??= reader.ValueSpan.ToArray();
                    break;
                case TopField.Model when reader.TokenType == JsonTokenType.String:
                    state.Model ??= reader.GetString();
                    break;
                case TopField.SystemFingerprint when reader.TokenType == JsonTokenType.String:
                    state.SystemFingerprint ??= reader.GetString();
                    break;
                case TopField.ServiceTier when reader.TokenType == JsonTokenType.String:
                    state.ServiceTier ??= reader.GetString();
                    break;
                case TopField.Usage when reader.TokenType == JsonTokenType.StartObject:
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    state.Usage = chunk.AsSpan(start, (int)reader.BytesConsumed - start).ToArray();
                    break;
                case TopField.Choices when reader.TokenType == JsonTokenType.StartArray:
                    var position = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadChoice(ref reader, state.Choice(IndexOf(reader, position)));
                        }
                        else
                        {
                            reader.Skip();
                        }
                        position++;
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    // The "index" of the object the reader is at (a copy of the reader looks ahead), else its position in its array.
    private static int IndexOf(Utf8JsonReader probe, int position)
    {
        var depth = probe.CurrentDepth;
        while (probe.Read() && !(probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth))
        {
            if (probe.TokenType == JsonTokenType.PropertyName && probe.CurrentDepth == depth + 1)
            {
                var isIndex = probe.ValueTextEquals("index"u8);
                probe.Read();
                if (isIndex && probe.TokenType == JsonTokenType.Number && probe.TryGetInt32(out var index))
                {
                    return index;
                }
                probe.Skip();
            }
        }
        return position;
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ChoiceParts choice)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isDelta = reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8);
            var isText = reader.ValueTextEquals("text"u8);
            var isFinish = reader.ValueTextEquals("finish_reason"u8);
            reader.Read();
            if (isDelta && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadDelta(ref reader, choice);
            }
            else if (isText && reader.TokenType == JsonTokenType.String)
            {
                choice.Content.Append(ref reader);
            }
            else if (isFinish && reader.TokenType == JsonTokenType.String)
            {
                choice.FinishReason = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ChoiceParts choice)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = DeltaFieldOf(ref reader);
            reader.Read();
            switch (field)
            {
                case DeltaField.Role when reader.TokenType == JsonTokenType.String:
                    choice.Role ??= reader.GetString();
                    break;
                case DeltaField.Content when reader.TokenType == JsonTokenType.String:
                    choice.Content.Append(ref reader);
                    break;
                case DeltaField.ReasoningContent when reader.TokenType == JsonTokenType.String:
                    choice.Reasoning.Append(ref reader);
                    break;
                case DeltaField.Refusal when reader.TokenType == JsonTokenType.String:
                    choice.Refusal.Append(ref reader);
                    break;
                case DeltaField.ToolCalls when reader.TokenType == JsonTokenType.StartArray:
                    var position = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ReadToolCall(ref reader, choice.ToolCall(IndexOf(reader, position)));
                        }
                        else
                        {
                            reader.Skip();
                        }
                        position++;
                    }
                    break;
                case DeltaField.FunctionCall when reader.TokenType == JsonTokenType.StartObject:
                    choice.FunctionCall ??= new ToolCallParts(0);
                    ReadFunction(ref reader, choice.FunctionCall);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ReadToolCall(ref Utf8JsonReader reader, ToolCallParts call)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isType = reader.ValueTextEquals("type"u8);
            var isFunction = reader.ValueTextEquals("function"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                call.Id ??= reader.GetString();
            }
            else if (isType && reader.TokenType == JsonTokenType.String)
            {
                call.Type ??= reader.GetString();
            }
            else if (isFunction && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadFunction(ref reader, call);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ToolCallParts call)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            var isArguments = reader.ValueTextEquals("arguments"u8);
            reader.Read();
            if (isName && reader.TokenType == JsonTokenType.String)
            {
                call.Name.Append(ref reader);
            }
            else if (isArguments && reader.TokenType == JsonTokenType.String)
            {
                call.Arguments.Append(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void WriteAssembledChoice(Utf8JsonWriter w, ChoiceParts c, bool chat)
    {
        w.WriteStartObject();
        w.WriteNumber("index"u8, c.Index);
        if (chat)
        {
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, c.Role ?? "assistant");
            // OpenAI's non-streamed tool-call and refusal answers carry "content": null, while their streams open with "".
            var contentIsNull = !c.Content.Seen
                || (c.Content.IsEmpty && (c.ToolCalls.Count > 0 || c.FunctionCall is not null || c.Refusal.Seen));
            if (contentIsNull)
            {
                w.WriteNull("content"u8);
            }
            else
            {
                c.Content.Write(w, "content"u8);
            }
            if (c.Reasoning.Seen)
            {
                c.Reasoning.Write(w, "reasoning_content"u8);
            }
            if (c.Refusal.Seen)
            {
                c.Refusal.Write(w, "refusal"u8);
            }
            if (c.ToolCalls.Count > 0)
            {
                c.ToolCalls.Sort(static (a, b) => a.Index.CompareTo(b.Index));
                w.WriteStartArray("tool_calls"u8);
                foreach (var t in c.ToolCalls)
                {
                    w.WriteStartObject();
                    if (t.Id is not null)
                    {
                        w.WriteString("id"u8, t.Id);
                    }
                    w.WriteString("type"u8, t.Type ?? "function");
                    w.WriteStartObject("function"u8);
                    t.Name.Write(w, "name"u8);
                    t.Arguments.Write(w, "arguments"u8);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (c.FunctionCall is { } fc)
            {
                w.WriteStartObject("function_call"u8);
                fc.Name.Write(w, "name"u8);
                fc.Arguments.Write(w, "arguments"u8);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        else
        {
            c.Content.Write(w, "text"u8);
        }
        w.WriteNull("logprobs"u8);
        if (c.FinishReason is { } finish)
        {
            w.WriteString("finish_reason"u8, finish);
        }
        else
        {
            w.WriteNull("finish_reason"u8);
        }
        w.WriteEndObject();
    }

    private enum TopField
    {
        Other,
        Id,
        Created,
        Model,
        SystemFingerprint,
        ServiceTier,
        Usage,
        Choices,
    }

    private static TopField TopFieldOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("choices"u8) ? TopField.Choices
        : r.ValueTextEquals("id"u8) ? TopField.Id
        : r.ValueTextEquals("created"u8) ? TopField.Created
        : r.ValueTextEquals("model"u8) ? TopField.Model
        : r.ValueTextEquals("system_fingerprint"u8) ? TopField.SystemFingerprint
        : r.ValueTextEquals("service_tier"u8) ? TopField.ServiceTier
        : r.ValueTextEquals("usage"u8) ? TopField.Usage
        : TopField.Other;

    private enum DeltaField
    {
        Other,
        Role,
        Content,
        ReasoningContent,
        Refusal,
        ToolCalls,
        FunctionCall,
    }

    private static DeltaField DeltaFieldOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("content"u8) ? DeltaField.Content
        : r.ValueTextEquals("role"u8) ? DeltaField.Role
        : r.ValueTextEquals("reasoning_content"u8) ? DeltaField.ReasoningContent
        : r.ValueTextEquals("tool_calls"u8) ? DeltaField.ToolCalls
        : r.ValueTextEquals("refusal"u8) ? DeltaField.Refusal
        : r.ValueTextEquals("function_call"u8) ? DeltaField.FunctionCall
        : DeltaField.Other;

    // ---- Synthesize ----

    private static void SynthesizeChat(
        JsonElement root, JsonElement choice, JsonElement index, int position, JsonElement finish, List<byte[]> chunks, ArrayBufferWriter<byte> buffer)
    {
        var message = choice.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        JsonElement Field(ReadOnlySpan<byte> name) =>
            message.ValueKind == JsonValueKind.Object && message.TryGetProperty(name, out var v) ? v : default;
        var role = Field("role"u8);
        var content = Field("content"u8);
        var reasoning = Field("reasoning_content"u8);
        var refusal = Field("refusal"u8);
        var toolCalls = Field("tool_calls"u8);
        var functionCall = Field("function_call"u8);

        chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
        {
            d.WritePropertyName("role"u8);
            if (role.ValueKind == JsonValueKind.String)
            {
                role.WriteTo(d);
            }
            else
            {
                d.WriteStringValue("assistant"u8);
            }
            if (content.ValueKind == JsonValueKind.String)
            {
                d.WriteString("content"u8, ""u8);
            }
            else
            {
                d.WriteNull("content"u8);
            }
        }, default)));
        if (reasoning.ValueKind == JsonValueKind.String)
        {
            chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
            {
                d.WritePropertyName("reasoning_content"u8);
                reasoning.WriteTo(d);
            }, default)));
        }
        if (content.ValueKind == JsonValueKind.String && !content.ValueEquals(""u8))
        {
            chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
            {
                d.WritePropertyName("content"u8);
                content.WriteTo(d);
            }, default)));
        }
        if (refusal.ValueKind == JsonValueKind.String)
        {
            chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
            {
                d.WritePropertyName("refusal"u8);
                refusal.WriteTo(d);
            }, default)));
        }
        if (toolCalls.ValueKind == JsonValueKind.Array)
        {
            var k = 0;
            foreach (var call in toolCalls.EnumerateArray())
            {
                var callIndex = k++;
                chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
                {
                    d.WriteStartArray("tool_calls"u8);
                    d.WriteStartObject();
                    d.WriteNumber("index"u8, callIndex);
                    if (call.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in call.EnumerateObject())
                        {
                            if (!p.NameEquals("index"u8))
                            {
                                p.WriteTo(d);
                            }
                        }
                    }
                    d.WriteEndObject();
                    d.WriteEndArray();
                }, default)));
            }
        }
        if (functionCall.ValueKind == JsonValueKind.Object)
        {
            chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, d =>
            {
                d.WritePropertyName("function_call"u8);
                functionCall.WriteTo(d);
            }, default)));
        }
        chunks.Add(Chunk(root, true, buffer, w => WriteDeltaChoice(w, index, position, static _ => { }, finish)));
    }

    private static void WriteDeltaChoice(Utf8JsonWriter w, JsonElement index, int position, Action<Utf8JsonWriter> delta, JsonElement finish)
    {
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        WriteIndex(w, index, position);
        w.WriteStartObject("delta"u8);
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        WriteFinish(w, finish);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteTextChoice(Utf8JsonWriter w, JsonElement index, int position, JsonElement text, JsonElement finish)
    {
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        WriteIndex(w, index, position);
        w.WritePropertyName("text"u8);
        if (text.ValueKind == JsonValueKind.String)
        {
            text.WriteTo(w);
        }
        else
        {
            w.WriteStringValue(""u8);
        }
        w.WriteNull("logprobs"u8);
        WriteFinish(w, finish);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteIndex(Utf8JsonWriter w, JsonElement index, int position)
    {
        w.WritePropertyName("index"u8);
        if (index.ValueKind == JsonValueKind.Number)
        {
            index.WriteTo(w);
        }
        else
        {
            w.WriteNumberValue(position);
        }
    }

    private static void WriteFinish(Utf8JsonWriter w, JsonElement finish)
    {
        w.WritePropertyName("finish_reason"u8);
        if (finish.ValueKind == JsonValueKind.String)
        {
            finish.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    // One chunk: the answer's id, created, model and system_fingerprint, then what `body` writes (the choices, or usage).
    private static byte[] Chunk(JsonElement root, bool chat, ArrayBufferWriter<byte> buffer, Action<Utf8JsonWriter> body)
    {
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            CopyOrDefault(w, root, "id"u8, static w => w.WriteStringValue(""u8));
            w.WriteString("object"u8, chat ? "chat.completion.chunk"u8 : "text_completion"u8);
            CopyOrDefault(w, root, "created"u8, static w => w.WriteNumberValue(0));
            CopyOrDefault(w, root, "model"u8, static w => w.WriteStringValue(""u8));
            if (root.TryGetProperty("system_fingerprint"u8, out var fingerprint) && fingerprint.ValueKind == JsonValueKind.String)
            {
                w.WritePropertyName("system_fingerprint"u8);
                fingerprint.WriteTo(w);
            }
            if (root.TryGetProperty("service_tier"u8, out var tier) && tier.ValueKind == JsonValueKind.String)
            {
                w.WritePropertyName("service_tier"u8);
                tier.WriteTo(w);
            }
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void CopyOrDefault(Utf8JsonWriter w, JsonElement root, ReadOnlySpan<byte> name, Action<Utf8JsonWriter> fallback)
    {
        w.WritePropertyName(name);
        if (root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            v.WriteTo(w);
        }
        else
        {
            fallback(w);
        }
    }
}
