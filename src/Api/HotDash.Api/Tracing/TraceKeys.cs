using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Tracing;

/// <summary>
/// A request's Langfuse keys: its body's <c>metadata</c> object (LiteLLM's field) and its <c>langfuse_*</c> headers, which
/// LiteLLM maps to the same keys (<c>langfuse_trace_id</c> is <c>trace_id</c>). A key in the body wins over its header.
/// </summary>
internal sealed class TraceKeys : IDisposable
{
    private readonly JsonDocument? document;
    private readonly JsonElement metadata;
    private readonly List<KeyValuePair<string, string>>? headers;

    private TraceKeys(JsonDocument? document, List<KeyValuePair<string, string>>? headers)
    {
        this.document = document;
        metadata = document?.RootElement ?? default;
        this.headers = headers;
    }

    public static TraceKeys Read(ReadOnlyMemory<byte> metadataJson, List<KeyValuePair<string, string>>? headers)
    {
        JsonDocument? document = null;
        if (!metadataJson.IsEmpty)
        {
            try
            {
                document = JsonDocument.Parse(metadataJson, new JsonDocumentOptions { MaxDepth = RequestInspector.MaxDepth });
            }
            catch (JsonException)
            {
                // Checked by the inspector already; a metadata object we cannot read only costs the trace its keys.
            }
        }
        return new TraceKeys(document?.RootElement.ValueKind == JsonValueKind.Object ? document : null, headers);
    }

    /// <summary>The raw metadata object, when the body had one.</summary>
    public JsonElement? Metadata => document is null ? null : metadata;

    /// <summary>A key's value as text (strings as they are, other values as JSON text); null when absent or null.</summary>
    public string? String(string key)
    {
        if (document is not null && metadata.TryGetProperty(key, out var e))
        {
            return e.ValueKind switch
            {
                JsonValueKind.String => e.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => e.GetRawText(),
            };
        }
        return Header(key);
    }

    /// <summary>True for JSON <c>true</c> or the text <c>true</c> (any case).</summary>
    public bool Bool(string key)
    {
        if (document is not null && metadata.TryGetProperty(key, out var e))
        {
            return e.ValueKind == JsonValueKind.True || e.ValueKind == JsonValueKind.String && string.Equals(e.GetString(), "true", StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(Header(key), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A list of strings: a JSON array (its strings), or a header's comma-separated or JSON-array text.</summary>
    public ImmutableArray<string>? Strings(string key)
    {
        if (document is not null && metadata.TryGetProperty(key, out var e))
        {
            return StringsOf(e);
        }
        var text = Header(key);
        if (text is null)
        {
            return null;
        }
        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                return StringsOf(doc.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON after all: read it as a list below.
            }
        }
        return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>A JSON object's top-level keys flattened (strings as they are, other values as JSON text), secrets left out.</summary>
    public ImmutableDictionary<string, string>? Object(string key)
    {
        if (document is not null && metadata.TryGetProperty(key, out var e))
        {
            return e.ValueKind == JsonValueKind.Object ? Flatten(e) : null;
        }
        var text = Header(key);
        if (text is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? Flatten(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every key not <paramref name="excluded"/>, body keys first, with its value as text; secrets left out.</summary>
    public void CopyRemaining(ImmutableDictionary<string, string>.Builder into, Func<string, bool> excluded)
    {
        if (document is not null)
        {
            foreach (var p in metadata.EnumerateObject())
            {
                if (!excluded(p.Name) && !TraceRedaction.IsSecretName(p.Name) && TextOf(p.Value) is { } text)
                {
                    into[p.Name] = text;
                }
            }
        }
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                if (!excluded(name) && !TraceRedaction.IsSecretName(name) && !into.ContainsKey(name))
                {
                    into[name] = value;
                }
            }
        }
    }

    /// <summary>The metadata object as sent, secrets left out (<c>debug_langfuse</c>'s <c>metadata_passed_to_litellm</c>).</summary>
    public string? MetadataJsonWithoutSecrets()
    {
        if (document is null)
        {
            return null;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, GatewayJsonWriter.Options))
        {
            w.WriteStartObject();
            foreach (var p in metadata.EnumerateObject())
            {
                if (!TraceRedaction.IsSecretName(p.Name))
                {
                    p.WriteTo(w);
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Dispose() => document?.Dispose();

    private string? Header(string key)
    {
        if (headers is null)
        {
            return null;
        }
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    private static ImmutableArray<string>? StringsOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => [.. e.EnumerateArray().Select(TextOf).OfType<string>()],
        JsonValueKind.String => [e.GetString()!],
        _ => null,
    };

    private static ImmutableDictionary<string, string> Flatten(JsonElement e)
    {
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!TraceRedaction.IsSecretName(p.Name) && TextOf(p.Value) is { } text)
            {
                b[p.Name] = text;
            }
        }
        return b.ToImmutable();
    }

    private static string? TextOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };
}
