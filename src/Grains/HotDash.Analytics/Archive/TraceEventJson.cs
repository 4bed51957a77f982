using System.Buffers;
using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Analytics.Archive;

/// <summary>
/// The archive's object format: one JSON object per <see cref="TraceEvent"/> per line (NDJSON, UTF-8), gzip-compressed.
/// JSON strings escape line breaks, so a line is always exactly one event.
/// </summary>
public static class TraceEventJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    /// <summary>One event as one line of JSON (no trailing newline).</summary>
    public static string Serialize(TraceEvent e) =>
        JsonSerializer.Serialize(e, TraceEventJsonContext.Default.TraceEvent);

    /// <summary>Reads one line written by <see cref="Serialize"/>.</summary>
    /// <exception cref="JsonException">The line is not a trace event.</exception>
    public static TraceEvent Deserialize(ReadOnlySpan<byte> utf8Line) =>
        JsonSerializer.Deserialize(utf8Line, TraceEventJsonContext.Default.TraceEvent)
        ?? throw new JsonException("an archived line is null, not a trace event");

    /// <summary>The events as gzip-compressed NDJSON (every line ends with <c>\n</c>).</summary>
    public static byte[] Pack(IEnumerable<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            foreach (var e in events)
            {
                JsonSerializer.Serialize(writer, e, TraceEventJsonContext.Default.TraceEvent);
                writer.Flush();
                writer.Reset();
                buffer.Write("\n"u8);
                // Keep the staging buffer small: hand it to the compressor every 64 KiB.
                if (buffer.WrittenCount >= 64 * 1024)
                {
                    gzip.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }
            gzip.Write(buffer.WrittenSpan);
        }
        return output.ToArray();
    }

    /// <summary>Reads an object written by <see cref="Pack"/> (blank lines are skipped).</summary>
    /// <exception cref="InvalidDataException">The data is not gzip.</exception>
    /// <exception cref="JsonException">A line is not a trace event.</exception>
    public static ImmutableArray<TraceEvent> Unpack(ReadOnlyMemory<byte> gzipNdjson)
    {
        byte[] ndjson;
        using (var input = new MemoryStream(gzipNdjson.ToArray(), writable: false))
        using (var gzip = new GZipStream(input, CompressionMode.Decompress))
        using (var plain = new MemoryStream())
        {
            gzip.CopyTo(plain);
            ndjson = plain.ToArray();
        }
        var events = ImmutableArray.CreateBuilder<TraceEvent>();
        var rest = ndjson.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!line.Trim(" \t\r"u8).IsEmpty)
            {
                events.Add(Deserialize(line));
            }
        }
        return events.ToImmutable();
    }
}
