using System.Buffers;
using System.IO.Pipelines;

namespace HotDash.Api.Gateway;

/// <summary>Writes server-sent events exactly as OpenAI frames them: <c>data: {json}\n\n</c>, flushed per event.</summary>
internal static class SseWriter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    /// <summary>Sets the streaming headers and turns response buffering off.</summary>
    public static void PrepareResponse(HttpContext context)
    {
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers["X-Accel-Buffering"] = "no";
    }

    public static void WriteEvent(PipeWriter writer, ReadOnlySpan<byte> payload)
    {
        var span = writer.GetSpan(DataPrefix.Length + payload.Length + EventEnd.Length);
        DataPrefix.CopyTo(span);
        payload.CopyTo(span[DataPrefix.Length..]);
        EventEnd.CopyTo(span[(DataPrefix.Length + payload.Length)..]);
        writer.Advance(DataPrefix.Length + payload.Length + EventEnd.Length);
    }

    public static void WriteDataLine(PipeWriter writer, in ReadOnlySequence<byte> payload)
    {
        writer.Write(DataPrefix);
        foreach (var segment in payload)
        {
            writer.Write(segment.Span);
        }
        writer.Write("\n"u8);
    }

    public static void EndEvent(PipeWriter writer) => writer.Write("\n"u8);

    public static void WriteDone(PipeWriter writer) => writer.Write(Done);

    public static void WriteError(PipeWriter writer, string message, string type, int status) =>
        WriteEvent(writer, OpenAiError.Serialize(message, type, null, status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
