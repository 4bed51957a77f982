using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// OTLP/JSON (<c>ExportTraceServiceRequest</c>, the OTLP specification's JSON encoding): lowerCamelCase keys
/// (snake_case accepted too, as proto3 JSON parsers do), hex ids, int64 as strings or numbers, enums as integers
/// (or their names). Unknown fields are ignored.
/// </summary>
internal static class OtlpJsonReader
{
    private const int MaxValueDepth = 32;

    private static readonly string[] SpanKinds =
        ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];

    private static readonly string[] StatusCodes = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

    public static ImmutableArray<OtlpResourceSpans> Read(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new OtlpParseException("Failed to parse OTel JSON Trace: content after the JSON value");
            }
        }
        catch (JsonException e)
        {
            throw new OtlpParseException($"Failed to parse OTel JSON Trace: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OtlpParseException("Invalid OTLP trace export: the body must be a JSON object with resourceSpans");
            }
            var builder = ImmutableArray.CreateBuilder<OtlpResourceSpans>();
            var index = 0;
            foreach (var resourceSpans in List(root, "resourceSpans", "resource_spans", "resourceSpans"))
            {
                builder.Add(ResourceSpans(resourceSpans, $"resourceSpans[{index++}]"));
            }
            return builder.ToImmutable();
        }
    }

    private static OtlpResourceSpans ResourceSpans(JsonElement element, string path)
    {
        RequireObject(element, path);
        var attributes = Get(element, "resource", "resource") is { ValueKind: JsonValueKind.Object } resource
            ? Attributes(resource, $"{path}.resource")
            : [];
        var scopes = ImmutableArray.CreateBuilder<OtlpScopeSpans>();
        var index = 0;
        foreach (var scopeSpans in List(element, "scopeSpans", "scope_spans", $"{path}.scopeSpans"))
        {
            scopes.Add(ScopeSpans(scopeSpans, $"{path}.scopeSpans[{index++}]"));
        }
        return new OtlpResourceSpans(attributes, scopes.ToImmutable());
    }

    private static OtlpScopeSpans ScopeSpans(JsonElement element, string path)
    {
        RequireObject(element, path);
        var scope = OtlpScope.None;
        if (Get(element, "scope", "scope") is { ValueKind: JsonValueKind.Object } scopeElement)
        {
            scope = new OtlpScope(Text(scopeElement, "name", "name", $"{path}.scope"), Text(scopeElement, "version", "version", $"{path}.scope"),
                Attributes(scopeElement, $"{path}.scope"));
        }
        var spans = ImmutableArray.CreateBuilder<OtlpSpan>();
        var index = 0;
        foreach (var span in List(element, "spans", "spans", $"{path}.spans"))
        {
            spans.Add(Span(span, $"{path}.spans[{index++}]"));
        }
        return new OtlpScopeSpans(scope, spans.ToImmutable());
    }

    private static OtlpSpan Span(JsonElement element, string path)
    {
        RequireObject(element, path);
        var events = ImmutableArray.CreateBuilder<OtlpSpanEvent>();
        var index = 0;
        foreach (var spanEvent in List(element, "events", "events", $"{path}.events"))
        {
            var eventPath = $"{path}.events[{index++}]";
            RequireObject(spanEvent, eventPath);
            events.Add(new OtlpSpanEvent(Nanos(spanEvent, "timeUnixNano", "time_unix_nano", eventPath), Text(spanEvent, "name", "name", eventPath),
                Attributes(spanEvent, eventPath)));
        }
        var status = OtlpStatus.Unset;
        if (Get(element, "status", "status") is { ValueKind: JsonValueKind.Object } statusElement)
        {
            status = new OtlpStatus(EnumValue(statusElement, "code", "code", StatusCodes, $"{path}.status"), Text(statusElement, "message", "message", $"{path}.status"));
        }
        return new OtlpSpan
        {
            TraceId = Id(element, "traceId", "trace_id", 16, path) ?? throw Missing($"{path}.traceId"),
            SpanId = Id(element, "spanId", "span_id", 8, path) ?? throw Missing($"{path}.spanId"),
            ParentSpanId = Id(element, "parentSpanId", "parent_span_id", 8, path),
            TraceState = Text(element, "traceState", "trace_state", path),
            Name = Text(element, "name", "name", path),
            Kind = EnumValue(element, "kind", "kind", SpanKinds, path),
            StartTimeUnixNano = Nanos(element, "startTimeUnixNano", "start_time_unix_nano", path),
            EndTimeUnixNano = Nanos(element, "endTimeUnixNano", "end_time_unix_nano", path),
            Attributes = Attributes(element, path),
            Events = events.ToImmutable(),
            Status = status,
        };
    }

    private static ImmutableArray<OtlpKeyValue> Attributes(JsonElement owner, string path) => KeyValues(owner, "attributes", "attributes", $"{path}.attributes", 0);

    private static ImmutableArray<OtlpKeyValue> KeyValues(JsonElement owner, string camel, string snake, string path, int depth)
    {
        var builder = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        var index = 0;
        foreach (var item in List(owner, camel, snake, path))
        {
            var itemPath = $"{path}[{index++}]";
            RequireObject(item, itemPath);
            var key = Text(item, "key", "key", itemPath);
            var value = Get(item, "value", "value") is { } valueElement ? Value(valueElement, $"{itemPath}.value", depth + 1) : OtlpAnyValue.Empty;
            builder.Add(new OtlpKeyValue(key, value));
        }
        return builder.ToImmutable();
    }

    private static OtlpAnyValue Value(JsonElement element, string path, int depth)
    {
        if (depth > MaxValueDepth)
        {
            throw new OtlpParseException($"Invalid OTLP trace export: {path} nests deeper than {MaxValueDepth} levels");
        }
        switch (element.ValueKind)
        {
            // Not OTLP, but hand-rolled exporters send bare values; read them as what they are.
            case JsonValueKind.String:
                return OtlpAnyValue.String(element.GetString()!);
            case JsonValueKind.True or JsonValueKind.False:
                return OtlpAnyValue.Bool(element.GetBoolean());
            case JsonValueKind.Number:
                return element.TryGetInt64(out var bare) ? OtlpAnyValue.Int(bare) : OtlpAnyValue.Double(element.GetDouble());
            case JsonValueKind.Object:
                break;
            default:
                return OtlpAnyValue.Empty;
        }
        if (Get(element, "stringValue", "string_value") is { } s)
        {
            return s.ValueKind == JsonValueKind.String ? OtlpAnyValue.String(s.GetString()!) : throw Invalid($"{path}.stringValue", "must be a string");
        }
        if (Get(element, "boolValue", "bool_value") is { } b)
        {
            return b.ValueKind is JsonValueKind.True or JsonValueKind.False ? OtlpAnyValue.Bool(b.GetBoolean()) : throw Invalid($"{path}.boolValue", "must be a boolean");
        }
        if (Get(element, "intValue", "int_value") is { } i)
        {
            return OtlpAnyValue.Int(ReadInt64(i, $"{path}.intValue"));
        }
        if (Get(element, "doubleValue", "double_value") is { } d)
        {
            return OtlpAnyValue.Double(ReadDouble(d, $"{path}.doubleValue"));
        }
        if (Get(element, "arrayValue", "array_value") is { } array)
        {
            RequireObject(array, $"{path}.arrayValue");
            var values = ImmutableArray.CreateBuilder<OtlpAnyValue>();
            var index = 0;
            foreach (var item in List(array, "values", "values", $"{path}.arrayValue.values"))
            {
                values.Add(Value(item, $"{path}.arrayValue.values[{index++}]", depth + 1));
            }
            return OtlpAnyValue.Array(values.ToImmutable());
        }
        if (Get(element, "kvlistValue", "kvlist_value") is { } kvlist)
        {
            RequireObject(kvlist, $"{path}.kvlistValue");
            return OtlpAnyValue.KeyValueList(KeyValues(kvlist, "values", "values", $"{path}.kvlistValue.values", depth + 1));
        }
        if (Get(element, "bytesValue", "bytes_value") is { } bytes)
        {
            return bytes.ValueKind == JsonValueKind.String && bytes.TryGetBytesFromBase64(out var decoded)
                ? OtlpAnyValue.Bytes([.. decoded])
                : throw Invalid($"{path}.bytesValue", "must be base64");
        }
        return OtlpAnyValue.Empty;
    }

    // traceId/spanId: hex text (or base64), a byte-value array, or a serialised Buffer {"type":"Buffer","data":[...]}.
    private static string? Id(JsonElement owner, string camel, string snake, int byteLength, string path)
    {
        if (Get(owner, camel, snake) is not { } value)
        {
            return null;
        }
        var id = value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is "" => "",
            JsonValueKind.String => OtlpIds.FromText(value.GetString()!, byteLength),
            JsonValueKind.Array => ByteValues(value) is { } values ? OtlpIds.FromByteValues(values) ?? "" : null,
            JsonValueKind.Object when value.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array =>
                ByteValues(data) is { } values ? OtlpIds.FromByteValues(values) ?? "" : null,
            _ => null,
        };
        return id switch
        {
            null => throw Invalid($"{path}.{camel}", "must be a hex string or a byte array"),
            "" => null,
            _ => id,
        };
    }

    private static ImmutableArray<int>? ByteValues(JsonElement array)
    {
        var builder = ImmutableArray.CreateBuilder<int>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var b))
            {
                return null;
            }
            builder.Add(b);
        }
        return builder.ToImmutable();
    }

    private static ulong Nanos(JsonElement owner, string camel, string snake, string path)
    {
        if (Get(owner, camel, snake) is not { } value)
        {
            return 0;
        }
        if (value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetUInt64(out var exact))
            {
                return exact;
            }
            // JavaScript numbers lose the last digits of nanosecond times and may print them in exponent form.
            var d = value.GetDouble();
            if (d >= 0 && d < 1.8e19)
            {
                return (ulong)d;
            }
        }
        throw Invalid($"{path}.{camel}", "must be an unsigned integer (string or number) of nanoseconds");
    }

    private static long ReadInt64(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var exact))
            {
                return exact;
            }
            var d = value.GetDouble();
            if (Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
            {
                return (long)d;
            }
        }
        throw Invalid(path, "must be an int64 (string or number)");
    }

    private static double ReadDouble(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            // OTLP/JSON writes the special values as strings.
            var text = value.GetString()!;
            switch (text)
            {
                case "NaN":
                    return double.NaN;
                case "Infinity":
                    return double.PositiveInfinity;
                case "-Infinity":
                    return double.NegativeInfinity;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }
        throw Invalid(path, "must be a number");
    }

    private static int EnumValue(JsonElement owner, string camel, string snake, string[] names, string path)
    {
        if (Get(owner, camel, snake) is not { } value)
        {
            return 0;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }
        if (value.ValueKind == JsonValueKind.String && System.Array.IndexOf(names, value.GetString()) is >= 0 and var index)
        {
            return index;
        }
        throw Invalid($"{path}.{camel}", $"must be an integer or one of {string.Join(", ", names)}");
    }

    private static string Text(JsonElement owner, string camel, string snake, string path) =>
        Get(owner, camel, snake) switch
        {
            null => "",
            { ValueKind: JsonValueKind.String } value => value.GetString()!,
            _ => throw Invalid($"{path}.{camel}", "must be a string"),
        };

    // A repeated field: absent or null is empty; anything but an array is malformed (Langfuse rejects it too).
    private static IEnumerable<JsonElement> List(JsonElement owner, string camel, string snake, string path)
    {
        if (Get(owner, camel, snake) is not { } value)
        {
            return [];
        }
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw Invalid(path, camel == "attributes"
                ? "must be an array; OTLP attributes are a list of {key, value} entries, not a JSON object"
                : "must be an array");
    }

    private static JsonElement? Get(JsonElement owner, string camel, string snake)
    {
        if (owner.TryGetProperty(camel, out var value) || (snake != camel && owner.TryGetProperty(snake, out value)))
        {
            return value.ValueKind == JsonValueKind.Null ? null : value;
        }
        return null;
    }

    private static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }
    }

    private static OtlpParseException Missing(string path) =>
        new($"Invalid OTLP trace export: {path} is required (traceId and spanId are required on every span)");

    private static OtlpParseException Invalid(string path, string problem) => new($"Invalid OTLP trace export: {path} {problem}");
}
