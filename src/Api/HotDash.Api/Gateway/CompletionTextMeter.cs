using System.Buffers;
using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>
/// Measures the completion text a stream carries (the <c>content</c> and <c>text</c> strings of its chunks), for
/// a quota settlement when the upstream sends no usage chunk. Used only for virtual keys' streams without
/// <c>stream_options.include_usage</c>; the estimate is about four UTF-8 bytes a token.
/// </summary>
internal sealed class CompletionTextMeter
{
    private const int BytesPerToken = 4;

    /// <summary>UTF-8 bytes of completion text seen so far (as escaped on the wire: close enough for an estimate).</summary>
    public long TextBytes { get; private set; }

    /// <summary>The completion tokens the text amounts to, rounded up.</summary>
    public int EstimatedTokens => (int)Math.Min(int.MaxValue, (TextBytes + BytesPerToken - 1) / BytesPerToken);

    public void Measure(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            Measure(payload.FirstSpan);
            return;
        }
        var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(copy);
            Measure(copy.AsSpan(0, (int)payload.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void Measure(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var isText = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    isText = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8);
                }
                else
                {
                    if (isText && reader.TokenType == JsonTokenType.String)
                    {
                        TextBytes += reader.ValueSpan.Length;
                    }
                    isText = false;
                }
            }
        }
        catch (JsonException)
        {
            // A malformed chunk is relayed as it came; it just adds nothing to the estimate.
        }
    }
}
