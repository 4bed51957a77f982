using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;
using HotDash.Api.Providers;

namespace HotDash.Api.Quotas;

/// <summary>
/// Counts a request's prompt tokens for its quota reservation in one <see cref="Utf8JsonReader"/> pass (no DOM):
/// the text of <c>messages</c> (roles, string content and content parts' <c>text</c>, with OpenAI's chat overhead
/// of 3 tokens a message and 3 to prime the reply), <c>prompt</c> or <c>input</c> (strings, or token arrays at
/// one token a number). Strings are unescaped into one pooled buffer and counted with o200k_base.
/// </summary>
internal static class PromptTokenEstimator
{
    private const int PerMessage = 3;
    private const int ReplyPriming = 3;

    public static int Count(ReadOnlySpan<byte> body, EndpointKind kind, TokenCounter tokens)
    {
        var scratch = ArrayPool<char>.Shared.Rent(1024);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestInspector.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return 0;
            }
            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var wanted = kind switch
                {
                    EndpointKind.ChatCompletions => reader.ValueTextEquals("messages"u8),
                    EndpointKind.Completions => reader.ValueTextEquals("prompt"u8),
                    _ => reader.ValueTextEquals("input"u8),
                };
                reader.Read();
                if (!wanted)
                {
                    reader.Skip();
                }
                else if (kind == EndpointKind.ChatCompletions)
                {
                    count += Messages(ref reader, tokens, ref scratch);
                }
                else
                {
                    count += TextOrTokens(ref reader, tokens, ref scratch);
                }
            }
            return count;
        }
        catch (JsonException)
        {
            // The inspector has already accepted the body, so this cannot happen; an estimate of 0 is still safe.
            return 0;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    private static int Messages(ref Utf8JsonReader reader, TokenCounter tokens, ref char[] scratch)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }
        var count = ReplyPriming;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            count += PerMessage;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("name"u8);
                reader.Read();
                if (!isText)
                {
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    count += Text(ref reader, tokens, ref scratch);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    count += ContentParts(ref reader, tokens, ref scratch);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        return count;
    }

    // [{"type":"text","text":"..."}, {"type":"image_url",...}]: only the text parts are counted.
    private static int ContentParts(ref Utf8JsonReader reader, TokenCounter tokens, ref char[] scratch)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    count += Text(ref reader, tokens, ref scratch);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        return count;
    }

    // A string, or an array of strings, numbers (token ids) and arrays of numbers.
    private static int TextOrTokens(ref Utf8JsonReader reader, TokenCounter tokens, ref char[] scratch)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return Text(ref reader, tokens, ref scratch);
            case JsonTokenType.Number:
                return 1;
            case JsonTokenType.StartArray:
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count += TextOrTokens(ref reader, tokens, ref scratch);
                }
                return count;
            default:
                reader.Skip();
                return 0;
        }
    }

    private static int Text(ref Utf8JsonReader reader, TokenCounter tokens, ref char[] scratch)
    {
        // Unescaped, a JSON string has at most as many UTF-16 chars as it has UTF-8 bytes.
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length == 0)
        {
            return 0;
        }
        if (scratch.Length < length)
        {
            ArrayPool<char>.Shared.Return(scratch);
            scratch = ArrayPool<char>.Shared.Rent(length);
        }
        var written = reader.CopyString(scratch);
        return tokens.Count(scratch.AsSpan(0, written));
    }
}
