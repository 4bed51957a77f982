using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>Finds the top-level <c>usage</c> object of an OpenAI response or stream chunk without a DOM.</summary>
internal static class UsageScanner
{
    public static TokenUsage Scan(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\"usage\""u8) < 0)
        {
            return default;
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    return ReadUsage(ref reader);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // An upstream's malformed body is passed on as it is; it just has no usage we can count.
        }
        return default;
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int prompt = 0, completion = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8);
            var isCompletion = reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8);
            var isDetails = reader.ValueTextEquals("prompt_tokens_details"u8);
            var isCompletionDetails = reader.ValueTextEquals("completion_tokens_details"u8);
            reader.Read();
            if (isDetails && reader.TokenType == JsonTokenType.StartObject)
            {
                cached = ReadDetail(ref reader, "cached_tokens"u8);
            }
            else if (isCompletionDetails && reader.TokenType == JsonTokenType.StartObject)
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8);
            }
            else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
            {
                if (isPrompt)
                {
                    prompt = n;
                }
                else if (isCompletion)
                {
                    completion = n;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return new TokenUsage(prompt, completion, cached, reasoning);
    }

    // One count of a *_tokens_details object (cached_tokens, reasoning_tokens).
    private static int ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        var value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isWanted = reader.ValueTextEquals(name);
            reader.Read();
            if (isWanted && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
            {
                value = n;
            }
            else
            {
                reader.Skip();
            }
        }
        return value;
    }
}
