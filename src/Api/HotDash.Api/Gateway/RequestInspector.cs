using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>Reads the top level of an OpenAI request body with <see cref="Utf8JsonReader"/>, validating what routing needs.</summary>
internal static class RequestInspector
{
    /// <summary>How deeply nested a request body may be (OpenAI bodies use a handful of levels).</summary>
    public const int MaxDepth = 256;

    public static RequestInfo Inspect(ReadOnlySpan<byte> body, EndpointKind kind)
    {
        var info = new RequestInfo();
        try
        {
            Read(body, kind, info);
        }
        catch (JsonException e)
        {
            // The reader reports malformed JSON only by throwing; this is the error path, not control flow.
            info.ErrorMessage = $"The request body is not valid JSON: {Trim(e.Message)}";
            info.ErrorParam = null;
        }
        if (info.IsValid)
        {
            Require(info, kind);
        }
        return info;
    }

    private static void Read(ReadOnlySpan<byte> body, EndpointKind kind, RequestInfo info)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth });
        if (body.IsEmpty)
        {
            Fail(info, "The request body is empty; send a JSON object.", null);
            return;
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(info, "The request body must be a JSON object.", null);
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var property = PropertyOf(ref reader);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            switch (property)
            {
                case Property.Model:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        Fail(info, "'model' must be a string naming a model (see GET /v1/models).", "model");
                        return;
                    }
                    info.Model = reader.GetString();
                    info.ModelTokenStart = valueStart;
                    info.ModelTokenEnd = (int)reader.BytesConsumed;
                    break;
                case Property.Stream:
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                    {
                        info.Stream = reader.TokenType == JsonTokenType.True;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        Fail(info, "'stream' must be true or false.", "stream");
                        return;
                    }
                    break;
                case Property.StreamOptions:
                    if (!ReadStreamOptions(ref reader, info))
                    {
                        return;
                    }
                    break;
                case Property.Messages:
                    if (kind == EndpointKind.ChatCompletions)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            Fail(info, "'messages' must be an array of message objects.", "messages");
                            return;
                        }
                        var depth = reader.CurrentDepth;
                        reader.Read();
                        info.HasMessages = reader.TokenType != JsonTokenType.EndArray;
                        if (!info.HasMessages)
                        {
                            Fail(info, "'messages' must contain at least one message.", "messages");
                            return;
                        }
                        while (!(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
                        {
                            if (reader.CurrentDepth == depth + 1 && reader.TokenType != JsonTokenType.StartObject)
                            {
                                Fail(info, "each entry of 'messages' must be an object with 'role' and 'content'.", "messages");
                                return;
                            }
                            reader.Skip();
                            reader.Read();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                    break;
                case Property.Prompt:
                    info.HasPrompt = reader.TokenType is JsonTokenType.String or JsonTokenType.StartArray;
                    if (!info.HasPrompt && kind == EndpointKind.Completions)
                    {
                        Fail(info, "'prompt' must be a string or an array.", "prompt");
                        return;
                    }
                    reader.Skip();
                    break;
                case Property.Input:
                    info.HasInput = reader.TokenType is JsonTokenType.String or JsonTokenType.StartArray;
                    if (!info.HasInput && kind == EndpointKind.Embeddings)
                    {
                        Fail(info, "'input' must be a string or an array of strings or token arrays.", "input");
                        return;
                    }
                    reader.Skip();
                    break;
                case Property.MaxTokens:
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var max) && max >= 0)
                    {
                        info.MaxTokens = max;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        Fail(info, "'max_tokens' must be a non-negative whole number.", "max_tokens");
                        return;
                    }
                    break;
                case Property.User:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        info.User = reader.GetString();
                    }
                    else
                    {
                        reader.Skip(); // not ours to police: the upstream judges its own fields
                    }
                    break;
                case Property.MockResponse:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        info.MockResponse = reader.GetString();
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        Fail(info, "'mock_response' must be a string.", "mock_response");
                        return;
                    }
                    info.GatewayOnlyProperties.Add(new Range(nameStart, (int)reader.BytesConsumed));
                    break;
                case Property.GatewayOnly:
                    reader.Skip();
                    info.GatewayOnlyProperties.Add(new Range(nameStart, (int)reader.BytesConsumed));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            Fail(info, "The request body is not valid JSON.", null);
            return;
        }
        // Anything after the closing brace other than whitespace is malformed.
        if (reader.Read())
        {
            Fail(info, "The request body has data after the JSON object.", null);
        }
    }

    private static bool ReadStreamOptions(ref Utf8JsonReader reader, RequestInfo info)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Fail(info, "'stream_options' must be an object.", "stream_options");
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isUsage)
            {
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                {
                    Fail(info, "'stream_options.include_usage' must be true or false.", "stream_options");
                    return false;
                }
                info.IncludeUsage = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }
        return true;
    }

    private static void Require(RequestInfo info, EndpointKind kind)
    {
        if (string.IsNullOrEmpty(info.Model))
        {
            Fail(info, "'model' is required: name one of the models from GET /v1/models.", "model");
        }
        else if (kind == EndpointKind.ChatCompletions && !info.HasMessages)
        {
            Fail(info, "'messages' is required: an array of {\"role\", \"content\"} objects.", "messages");
        }
        else if (kind == EndpointKind.Completions && !info.HasPrompt)
        {
            Fail(info, "'prompt' is required for /v1/completions.", "prompt");
        }
        else if (kind == EndpointKind.Embeddings && !info.HasInput)
        {
            Fail(info, "'input' is required for /v1/embeddings.", "input");
        }
        else if (kind == EndpointKind.Embeddings && info.Stream)
        {
            Fail(info, "/v1/embeddings does not stream; leave 'stream' out.", "stream");
        }
    }

    private static void Fail(RequestInfo info, string message, string? param)
    {
        info.ErrorMessage ??= message;
        info.ErrorParam ??= param;
    }

    private static string Trim(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 12." which is useful; keep it short.
        return message.Length > 300 ? message[..300] : message;
    }

    private enum Property
    {
        Other,
        Model,
        Stream,
        StreamOptions,
        Messages,
        Prompt,
        Input,
        MaxTokens,
        MockResponse,
        User,
        GatewayOnly,
    }

    private static Property PropertyOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("model"u8) ? Property.Model
        : r.ValueTextEquals("messages"u8) ? Property.Messages
        : r.ValueTextEquals("stream"u8) ? Property.Stream
        : r.ValueTextEquals("stream_options"u8) ? Property.StreamOptions
        : r.ValueTextEquals("prompt"u8) ? Property.Prompt
        : r.ValueTextEquals("input"u8) ? Property.Input
        : r.ValueTextEquals("max_tokens"u8) || r.ValueTextEquals("max_completion_tokens"u8) ? Property.MaxTokens
        : r.ValueTextEquals("mock_response"u8) ? Property.MockResponse
        : r.ValueTextEquals("user"u8) ? Property.User
        : IsGatewayOnly(ref r) ? Property.GatewayOnly
        : Property.Other;

    // LiteLLM proxy controls that OpenAI-compatible upstreams reject or misread; the gateway consumes them.
    private static bool IsGatewayOnly(ref Utf8JsonReader r) =>
        r.ValueTextEquals("metadata"u8) || r.ValueTextEquals("litellm_metadata"u8) || r.ValueTextEquals("caching"u8)
        || r.ValueTextEquals("cache"u8) || r.ValueTextEquals("num_retries"u8) || r.ValueTextEquals("fallbacks"u8)
        || r.ValueTextEquals("context_window_fallbacks"u8) || r.ValueTextEquals("guardrails"u8)
        || r.ValueTextEquals("litellm_session_id"u8) || r.ValueTextEquals("litellm_trace_id"u8) || r.ValueTextEquals("mock_testing_fallbacks"u8)
        || r.ValueTextEquals("no-log"u8);
}
