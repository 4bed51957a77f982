using System.Buffers;
using System.Text;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Tracing;

/// <summary>JSON text a trace builds itself, escaped only as JSON requires (as the gateway's own answers).</summary>
internal static class TraceJson
{
    /// <summary>A string as a JSON string value.</summary>
    public static string String(string value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 16);
        using (var w = new Utf8JsonWriter(buffer, GatewayJsonWriter.Options))
        {
            w.WriteStringValue(value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>LiteLLM's trace input: <c>{"messages": PROMPT, "tools": ..., "functions": ...}</c> from the body's raw bytes.</summary>
    public static string? Input(ReadOnlySpan<byte> body, RequestBodyParts parts)
    {
        if (parts.Prompt is not { } prompt)
        {
            return null;
        }
        var length = 16 + Length(body, prompt) + (parts.Tools is { } t ? 10 + Length(body, t) : 0) + (parts.Functions is { } f ? 14 + Length(body, f) : 0);
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var n = 0;
            Append(bytes, ref n, "{\"messages\":"u8);
            Append(bytes, ref n, body[prompt]);
            if (parts.Tools is { } tools)
            {
                Append(bytes, ref n, ",\"tools\":"u8);
                Append(bytes, ref n, body[tools]);
            }
            if (parts.Functions is { } functions)
            {
                Append(bytes, ref n, ",\"functions\":"u8);
                Append(bytes, ref n, body[functions]);
            }
            Append(bytes, ref n, "}"u8);
            return Encoding.UTF8.GetString(bytes, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static int Length(ReadOnlySpan<byte> body, Range r) => r.GetOffsetAndLength(body.Length).Length;

    private static void Append(byte[] into, ref int n, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(into.AsSpan(n));
        n += bytes.Length;
    }
}
