using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>Trace and span ids: bytes to lower-case hex, and the text forms exporters send.</summary>
internal static class OtlpIds
{
    /// <summary>Bytes as lower-case hex; <see langword="null"/> for none.</summary>
    public static string? FromBytes(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? null : Convert.ToHexStringLower(bytes);

    /// <summary>
    /// An id sent as text: hex (OTLP/JSON, any case) or, from exporters that follow proto3's JSON mapping, base64 of
    /// exactly <paramref name="byteLength"/> bytes. <see langword="null"/> when it is neither.
    /// </summary>
    public static string? FromText(string text, int byteLength)
    {
        if (text.Length > 0 && text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit))
        {
            return text.ToLowerInvariant();
        }
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && written == byteLength
            ? Convert.ToHexStringLower(buffer.AsSpan(0, written))
            : null;
    }

    /// <summary>An id sent as an array of byte values (Langfuse's Python SDK before OTLP/JSON).</summary>
    public static string? FromByteValues(ImmutableArray<int> values) =>
        values.All(v => v is >= 0 and <= 255) ? FromBytes([.. values.Select(v => (byte)v)]) : null;
}
