using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// The value rules Langfuse's public API follows when it renders stored rows: ISO timestamps with milliseconds and
/// <c>Z</c>, JSON text written back as JSON (and as a string when it is not JSON), metadata values parsed back
/// where they are JSON.
/// </summary>
internal static class LangfuseJson
{
    /// <summary>No indentation; non-ASCII as UTF-8, as Node's JSON.stringify writes it.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Epoch milliseconds as <c>2024-01-02T03:04:05.678Z</c>.</summary>
    public static string FormatTimestamp(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static void WriteTimestamp(Utf8JsonWriter w, string name, long epochMs)
    {
        Span<char> buffer = stackalloc char[32];
        var time = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(epochMs, -62135596800000L, 253402300799999L)).UtcDateTime;
        if (time.TryFormat(buffer, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            w.WriteString(name, buffer[..written]);
        }
        else
        {
            w.WriteString(name, FormatTimestamp(epochMs));
        }
    }

    public static void WriteTimestampOrNull(Utf8JsonWriter w, string name, long? epochMs)
    {
        if (epochMs is { } ms)
        {
            WriteTimestamp(w, name, ms);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    public static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void WriteNumberOrNull(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>
    /// Stored input/output (JSON text): written as the JSON value it holds, or as a string when it is not JSON;
    /// <see langword="null"/> or empty as <c>null</c> (Langfuse's <c>applyInputOutputRendering</c>).
    /// </summary>
    public static void WriteJsonText(Utf8JsonWriter w, string name, string? text)
    {
        w.WritePropertyName(name);
        if (string.IsNullOrEmpty(text))
        {
            w.WriteNullValue();
            return;
        }
        WriteJsonTextValue(w, text);
    }

    /// <summary>A JSON text as its value, or as a string when it does not parse (Langfuse's <c>parseJsonPrioritised</c>).</summary>
    public static void WriteJsonTextValue(Utf8JsonWriter w, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            var utf8 = rented.AsSpan(0, length);
            if (IsJson(utf8))
            {
                // Written as it came, so numbers beyond double precision survive (Langfuse keeps them too).
                w.WriteRawValue(utf8, skipInputValidation: true);
            }
            else
            {
                w.WriteStringValue(text);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Metadata as Langfuse v3 renders it: an object whose values are parsed back from JSON text where they are JSON.</summary>
    public static void WriteMetadata(Utf8JsonWriter w, string name, ImmutableDictionary<string, string>? metadata)
    {
        w.WriteStartObject(name);
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    WriteJsonTextValue(w, value);
                }
            }
        }
        w.WriteEndObject();
    }

    /// <summary>A JSON object's text as the object; <c>null</c> when absent (model parameters).</summary>
    public static void WriteJsonTextOrNull(Utf8JsonWriter w, string name, string? text)
    {
        w.WritePropertyName(name);
        if (string.IsNullOrEmpty(text))
        {
            w.WriteNullValue();
        }
        else
        {
            WriteJsonTextValue(w, text);
        }
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string>? values)
    {
        w.WriteStartArray(name);
        if (values is not null)
        {
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }
        }
        w.WriteEndArray();
    }

    private static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
            if (!reader.Read())
            {
                return false;
            }
            // Skips the whole first value; anything after it makes the reader throw.
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
