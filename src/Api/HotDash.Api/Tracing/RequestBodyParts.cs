using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Tracing;

/// <summary>
/// What a trace takes from a request body, read in one <see cref="Utf8JsonReader"/> pass over the raw bytes (no DOM,
/// nothing re-serialised): the byte ranges of the prompt (<c>messages</c>, <c>prompt</c> or <c>input</c>), of
/// <c>tools</c>/<c>functions</c> and of <c>metadata</c>, LiteLLM's <c>no-log</c>, and the model parameters (every other
/// top-level field the upstream reads) written out as a JSON object.
/// </summary>
internal sealed class RequestBodyParts
{
    public Range? Prompt { get; private set; }
    public Range? Tools { get; private set; }
    public Range? Functions { get; private set; }
    public Range? Metadata { get; private set; }
    public bool NoLog { get; private set; }

    /// <summary>The model parameters as a JSON object's text; null when there are none.</summary>
    public string? ModelParameters { get; private set; }

    public static RequestBodyParts Read(ReadOnlySpan<byte> body, EndpointKind kind)
    {
        var parts = new RequestBodyParts();
        ArrayBufferWriter<byte>? parameters = null;
        Utf8JsonWriter? writer = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestInspector.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return parts;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader, kind);
                var name = field == Field.Parameter ? reader.GetString()! : null;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var type = reader.TokenType;
                reader.Skip();
                var range = new Range(start, (int)reader.BytesConsumed);
                switch (field)
                {
                    case Field.Prompt:
                        parts.Prompt = range;
                        break;
                    case Field.Tools:
                        parts.Tools = range;
                        break;
                    case Field.Functions:
                        parts.Functions = range;
                        break;
                    case Field.Metadata when type == JsonTokenType.StartObject:
                        parts.Metadata = range;
                        break;
                    case Field.NoLog:
                        parts.NoLog = type == JsonTokenType.True || type == JsonTokenType.String && body[range].SequenceEqual("\"true\""u8);
                        break;
                    case Field.Parameter when type != JsonTokenType.Null && !TraceRedaction.IsSecretName(name!):
                        if (writer is null)
                        {
                            parameters = new ArrayBufferWriter<byte>(256);
                            writer = new Utf8JsonWriter(parameters, GatewayJsonWriter.Options);
                            writer.WriteStartObject();
                        }
                        writer.WritePropertyName(name!);
                        if (type is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            // As LiteLLM: Langfuse model parameters are scalars, so structured values go as their JSON text.
                            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(body[range]));
                        }
                        else
                        {
                            writer.WriteRawValue(body[range], skipInputValidation: true);
                        }
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The inspector accepted the body; a reader that disagrees leaves the trace without these parts.
        }
        if (writer is not null)
        {
            writer.WriteEndObject();
            writer.Flush();
            parts.ModelParameters = System.Text.Encoding.UTF8.GetString(parameters!.WrittenSpan);
            writer.Dispose();
        }
        return parts;
    }

    private enum Field
    {
        Ignored,
        Prompt,
        Tools,
        Functions,
        Metadata,
        NoLog,
        Parameter,
    }

    private static Field FieldOf(ref Utf8JsonReader r, EndpointKind kind) =>
        r.ValueTextEquals(kind switch
        {
            EndpointKind.ChatCompletions => "messages"u8,
            EndpointKind.Completions => "prompt"u8,
            _ => "input"u8,
        }) ? Field.Prompt
        : r.ValueTextEquals("tools"u8) ? Field.Tools
        : r.ValueTextEquals("functions"u8) ? Field.Functions
        : r.ValueTextEquals("metadata"u8) ? Field.Metadata
        : r.ValueTextEquals("no-log"u8) ? Field.NoLog
        : IsNotAParameter(ref r) ? Field.Ignored
        : Field.Parameter;

    // The prompt fields of the other endpoints, the caller's identity and LiteLLM's proxy controls are no model parameters.
    private static bool IsNotAParameter(ref Utf8JsonReader r) =>
        r.ValueTextEquals("model"u8) || r.ValueTextEquals("messages"u8) || r.ValueTextEquals("prompt"u8) || r.ValueTextEquals("input"u8)
        || r.ValueTextEquals("user"u8) || r.ValueTextEquals("mock_response"u8) || r.ValueTextEquals("litellm_metadata"u8)
        || r.ValueTextEquals("caching"u8) || r.ValueTextEquals("cache"u8) || r.ValueTextEquals("num_retries"u8)
        || r.ValueTextEquals("fallbacks"u8) || r.ValueTextEquals("context_window_fallbacks"u8) || r.ValueTextEquals("guardrails"u8)
        || r.ValueTextEquals("litellm_session_id"u8) || r.ValueTextEquals("litellm_trace_id"u8) || r.ValueTextEquals("mock_testing_fallbacks"u8)
        || r.ValueTextEquals("api_base"u8) || r.ValueTextEquals("base_url"u8) || r.ValueTextEquals("extra_headers"u8);
}
