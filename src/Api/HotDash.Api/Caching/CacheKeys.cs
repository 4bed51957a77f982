using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Caching;

/// <summary>
/// The exact cache's key: the SHA-256 of a canonical form of the request. The canonical form is a JSON object of the
/// model GROUP (under <c>model</c>) and every top-level body property that can change the answer, sorted by name
/// (ordinal, UTF-8), each value re-written minified. So the order and spacing of the top-level properties do not
/// matter, while the order of keys inside nested objects (a JSON schema, a tool's parameters) does, as it reaches the
/// upstream. String escapes are normalised (<c>"\u00e9"</c> and <c>"é"</c> are one key); numbers keep their text.
/// </summary>
internal static class CacheKeys
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true, // the values come from a body the reader already walked
        MaxDepth = RequestInspector.MaxDepth + 1,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = RequestInspector.MaxDepth };

    private readonly record struct Property(int NameStart, int NameLength, int ValueStart, int ValueEnd);

    /// <summary>
    /// The cache key of <paramref name="body"/> (a JSON object RequestInspector accepted) sent to
    /// <paramref name="modelGroup"/>: <c>{ns}:{sha256 hex}</c>, or the 64 lowercase hex characters alone when
    /// <paramref name="ns"/> is null or empty.
    /// </summary>
    public static string For(ReadOnlySpan<byte> body, string modelGroup, string? ns)
    {
        var properties = ArrayPool<Property>.Shared.Rent(32);
        var names = ArrayPool<byte>.Shared.Rent(512);
        var scratch = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            var count = Collect(body, ref properties, ref names);
            Sort(properties.AsSpan(0, count), names);

            Span<byte> digest = stackalloc byte[32];
            using (var sink = new HashingBufferWriter())
            {
                using (var writer = new Utf8JsonWriter(sink, WriterOptions))
                {
                    writer.WriteStartObject();
                    var modelWritten = false;
                    foreach (var p in properties.AsSpan(0, count))
                    {
                        var name = names.AsSpan(p.NameStart, p.NameLength);
                        if (!modelWritten && name.SequenceCompareTo("model"u8) > 0)
                        {
                            writer.WriteString("model"u8, modelGroup);
                            modelWritten = true;
                        }
                        writer.WritePropertyName(name);
                        CopyValue(body[p.ValueStart..p.ValueEnd], writer, ref scratch);
                    }
                    if (!modelWritten)
                    {
                        writer.WriteString("model"u8, modelGroup);
                    }
                    writer.WriteEndObject();
                }
                sink.Finish(digest);
            }
            return Format(digest, ns);
        }
        finally
        {
            ArrayPool<Property>.Shared.Return(properties);
            ArrayPool<byte>.Shared.Return(names);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Whether a top-level property is left out of the key: it routes, logs or controls the gateway, never the answer.</summary>
    internal static bool IsExcluded(ReadOnlySpan<byte> name) =>
        name.StartsWith("litellm_"u8) || name.StartsWith("hotdash_"u8) || name.StartsWith("langfuse_"u8) || name.StartsWith("mock_"u8)
        || name.SequenceEqual("model"u8) || name.SequenceEqual("user"u8) || name.SequenceEqual("metadata"u8)
        || name.SequenceEqual("stream"u8) || name.SequenceEqual("stream_options"u8) || name.SequenceEqual("cache"u8)
        || name.SequenceEqual("caching"u8) || name.SequenceEqual("num_retries"u8) || name.SequenceEqual("max_retries"u8)
        || name.SequenceEqual("timeout"u8) || name.SequenceEqual("request_timeout"u8) || name.SequenceEqual("stream_timeout"u8)
        || name.SequenceEqual("api_key"u8) || name.SequenceEqual("api_base"u8) || name.SequenceEqual("base_url"u8)
        || name.SequenceEqual("api_version"u8) || name.SequenceEqual("extra_headers"u8) || name.SequenceEqual("tags"u8)
        || name.SequenceEqual("fallbacks"u8) || name.SequenceEqual("context_window_fallbacks"u8)
        || name.SequenceEqual("content_policy_fallbacks"u8) || name.SequenceEqual("guardrails"u8) || name.SequenceEqual("no-log"u8)
        || name.SequenceEqual("proxy_server_request"u8) || name.SequenceEqual("secret_fields"u8)
        // Langfuse trace fields, which LiteLLM reads as metadata.
        || name.SequenceEqual("trace_id"u8) || name.SequenceEqual("trace_name"u8) || name.SequenceEqual("trace_user_id"u8)
        || name.SequenceEqual("trace_metadata"u8) || name.SequenceEqual("trace_version"u8) || name.SequenceEqual("trace_release"u8)
        || name.SequenceEqual("existing_trace_id"u8) || name.SequenceEqual("update_trace_keys"u8) || name.SequenceEqual("session_id"u8)
        || name.SequenceEqual("generation_name"u8) || name.SequenceEqual("generation_id"u8) || name.SequenceEqual("parent_observation_id"u8)
        || name.SequenceEqual("debug_langfuse"u8);

    // The included top-level properties: names unescaped into `names`, values as ranges of the body.
    private static int Collect(ReadOnlySpan<byte> body, ref Property[] properties, ref byte[] names)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        reader.Read(); // the StartObject RequestInspector checked
        var count = 0;
        var namesLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Grow(ref names, namesLength + reader.ValueSpan.Length);
            var nameLength = CopyName(ref reader, names.AsSpan(namesLength));
            var name = names.AsSpan(namesLength, nameLength);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            if (IsExcluded(name))
            {
                continue;
            }
            if (count == properties.Length)
            {
                var bigger = ArrayPool<Property>.Shared.Rent(count * 2);
                properties.AsSpan(0, count).CopyTo(bigger);
                ArrayPool<Property>.Shared.Return(properties);
                properties = bigger;
            }
            properties[count++] = new Property(namesLength, nameLength, valueStart, (int)reader.BytesConsumed);
            namesLength += nameLength;
        }
        return count;
    }

    // Insertion sort: bodies have tens of properties at most, and it is stable (a repeated name keeps its order).
    private static void Sort(Span<Property> properties, byte[] names)
    {
        for (var i = 1; i < properties.Length; i++)
        {
            var current = properties[i];
            var currentName = names.AsSpan(current.NameStart, current.NameLength);
            var j = i - 1;
            while (j >= 0 && names.AsSpan(properties[j].NameStart, properties[j].NameLength).SequenceCompareTo(currentName) > 0)
            {
                properties[j + 1] = properties[j];
                j--;
            }
            properties[j + 1] = current;
        }
    }

    // One value, token by token, minified; strings and names unescaped so the writer escapes them one way.
    private static void CopyValue(ReadOnlySpan<byte> value, Utf8JsonWriter writer, ref byte[] scratch)
    {
        var reader = new Utf8JsonReader(value, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    writer.WritePropertyName(Unescaped(ref reader, ref scratch, out _));
                    break;
                case JsonTokenType.String:
                    var text = Unescaped(ref reader, ref scratch, out var valid);
                    if (valid)
                    {
                        writer.WriteStringValue(text);
                    }
                    else
                    {
                        // A lone surrogate escape ("\ud800") has no UTF-8 form: hash the token as written. The writer never
                        // escapes a surrogate, so this text cannot collide with a valid string's.
                        writer.WriteRawValue(value.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true);
                    }
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
            }
        }
    }

    // The text unescaped; when it cannot be (a lone surrogate escape, which RequestInspector lets through), as written.
    private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, ref byte[] scratch, out bool valid)
    {
        valid = true;
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }
        Grow(ref scratch, reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(scratch);
            return scratch.AsSpan(0, length);
        }
        catch (InvalidOperationException)
        {
            valid = false;
            return reader.ValueSpan;
        }
    }

    private static int CopyName(ref Utf8JsonReader reader, Span<byte> destination)
    {
        if (reader.ValueIsEscaped)
        {
            try
            {
                return reader.CopyString(destination);
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate escape: the name as written (see Unescaped).
            }
        }
        reader.ValueSpan.CopyTo(destination);
        return reader.ValueSpan.Length;
    }

    private static void Grow(ref byte[] buffer, int needed)
    {
        if (buffer.Length >= needed)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan().CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    private static string Format(ReadOnlySpan<byte> digest, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return Convert.ToHexStringLower(digest);
        }
        Span<char> hex = stackalloc char[64];
        Convert.TryToHexStringLower(digest, hex, out _);
        return string.Concat(ns.AsSpan(), ":", hex);
    }
}
