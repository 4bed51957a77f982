using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// OTLP/protobuf <c>ExportTraceServiceRequest</c>, decoded field by field with <see cref="CodedInputStream"/> (field
/// numbers from opentelemetry-proto's <c>trace.proto</c>, <c>common.proto</c>, <c>resource.proto</c>). Unknown fields,
/// and known fields sent with another wire type, are skipped, as generated code does.
/// </summary>
internal static class OtlpProtobufReader
{
    private const int MaxValueDepth = 32;

    // Tags: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited).
    private const uint Field1Bytes = (1 << 3) | 2, Field2Bytes = (2 << 3) | 2, Field3Bytes = (3 << 3) | 2, Field4Bytes = (4 << 3) | 2;
    private const uint Field5Bytes = (5 << 3) | 2, Field6Bytes = (6 << 3) | 2, Field7Bytes = (7 << 3) | 2, Field9Bytes = (9 << 3) | 2;
    private const uint Field11Bytes = (11 << 3) | 2, Field15Bytes = (15 << 3) | 2;
    private const uint Field1Fixed64 = (1 << 3) | 1, Field4Fixed64 = (4 << 3) | 1, Field7Fixed64 = (7 << 3) | 1, Field8Fixed64 = (8 << 3) | 1;
    private const uint Field2Varint = 2 << 3, Field3Varint = 3 << 3, Field6Varint = 6 << 3;

    public static ImmutableArray<OtlpResourceSpans> Read(ReadOnlySpan<byte> data)
    {
        try
        {
            var input = new CodedInputStream(data.ToArray());
            var builder = ImmutableArray.CreateBuilder<OtlpResourceSpans>();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (tag == Field1Bytes)
                {
                    builder.Add(ResourceSpans(Nested(input), $"resourceSpans[{builder.Count}]"));
                }
                else
                {
                    input.SkipLastField();
                }
            }
            return builder.ToImmutable();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpParseException($"Failed to parse OTel Protobuf Trace: {e.Message}", e);
        }
    }

    private static OtlpResourceSpans ResourceSpans(CodedInputStream input, string path)
    {
        ImmutableArray<OtlpKeyValue> attributes = [];
        var scopes = ImmutableArray.CreateBuilder<OtlpScopeSpans>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    attributes = Resource(Nested(input));
                    break;
                case Field2Bytes:
                    scopes.Add(ScopeSpans(Nested(input), $"{path}.scopeSpans[{scopes.Count}]"));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpResourceSpans(attributes, scopes.ToImmutable());
    }

    private static ImmutableArray<OtlpKeyValue> Resource(CodedInputStream input)
    {
        var attributes = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Field1Bytes)
            {
                attributes.Add(KeyValue(Nested(input), 0));
            }
            else
            {
                input.SkipLastField();
            }
        }
        return attributes.ToImmutable();
    }

    private static OtlpScopeSpans ScopeSpans(CodedInputStream input, string path)
    {
        var scope = OtlpScope.None;
        var spans = ImmutableArray.CreateBuilder<OtlpSpan>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    scope = Scope(Nested(input));
                    break;
                case Field2Bytes:
                    spans.Add(Span(Nested(input), $"{path}.spans[{spans.Count}]"));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpScopeSpans(scope, spans.ToImmutable());
    }

    private static OtlpScope Scope(CodedInputStream input)
    {
        string name = "", version = "";
        var attributes = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    name = input.ReadString();
                    break;
                case Field2Bytes:
                    version = input.ReadString();
                    break;
                case Field3Bytes:
                    attributes.Add(KeyValue(Nested(input), 0));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpScope(name, version, attributes.ToImmutable());
    }

    private static OtlpSpan Span(CodedInputStream input, string path)
    {
        string? traceId = null, spanId = null, parentSpanId = null;
        string traceState = "", name = "";
        var kind = 0;
        ulong start = 0, end = 0;
        var attributes = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        var events = ImmutableArray.CreateBuilder<OtlpSpanEvent>();
        var status = OtlpStatus.Unset;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    traceId = OtlpIds.FromBytes(input.ReadBytes().Span);
                    break;
                case Field2Bytes:
                    spanId = OtlpIds.FromBytes(input.ReadBytes().Span);
                    break;
                case Field3Bytes:
                    traceState = input.ReadString();
                    break;
                case Field4Bytes:
                    parentSpanId = OtlpIds.FromBytes(input.ReadBytes().Span);
                    break;
                case Field5Bytes:
                    name = input.ReadString();
                    break;
                case Field6Varint:
                    kind = input.ReadInt32();
                    break;
                case Field7Fixed64:
                    start = input.ReadFixed64();
                    break;
                case Field8Fixed64:
                    end = input.ReadFixed64();
                    break;
                case Field9Bytes:
                    attributes.Add(KeyValue(Nested(input), 0));
                    break;
                case Field11Bytes:
                    events.Add(Event(Nested(input)));
                    break;
                case Field15Bytes:
                    status = Status(Nested(input));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpSpan
        {
            TraceId = traceId ?? throw Missing($"{path}.traceId"),
            SpanId = spanId ?? throw Missing($"{path}.spanId"),
            ParentSpanId = parentSpanId,
            TraceState = traceState,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Attributes = attributes.ToImmutable(),
            Events = events.ToImmutable(),
            Status = status,
        };
    }

    private static OtlpSpanEvent Event(CodedInputStream input)
    {
        ulong time = 0;
        var name = "";
        var attributes = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Fixed64:
                    time = input.ReadFixed64();
                    break;
                case Field2Bytes:
                    name = input.ReadString();
                    break;
                case Field3Bytes:
                    attributes.Add(KeyValue(Nested(input), 0));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpSpanEvent(time, name, attributes.ToImmutable());
    }

    private static OtlpStatus Status(CodedInputStream input)
    {
        var message = "";
        var code = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field2Bytes:
                    message = input.ReadString();
                    break;
                case Field3Varint:
                    code = input.ReadInt32();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpStatus(code, message);
    }

    private static OtlpKeyValue KeyValue(CodedInputStream input, int depth)
    {
        var key = "";
        var value = OtlpAnyValue.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    key = input.ReadString();
                    break;
                case Field2Bytes:
                    value = AnyValue(Nested(input), depth + 1);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OtlpKeyValue(key, value);
    }

    private static OtlpAnyValue AnyValue(CodedInputStream input, int depth)
    {
        if (depth > MaxValueDepth)
        {
            throw new OtlpParseException($"Invalid OTLP trace export: an attribute value nests deeper than {MaxValueDepth} levels");
        }
        // A oneof: the last member on the wire wins.
        var value = OtlpAnyValue.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case Field1Bytes:
                    value = OtlpAnyValue.String(input.ReadString());
                    break;
                case Field2Varint:
                    value = OtlpAnyValue.Bool(input.ReadBool());
                    break;
                case Field3Varint:
                    value = OtlpAnyValue.Int(input.ReadInt64());
                    break;
                case Field4Fixed64:
                    value = OtlpAnyValue.Double(input.ReadDouble());
                    break;
                case Field5Bytes:
                    value = OtlpAnyValue.Array(ArrayValue(Nested(input), depth));
                    break;
                case Field6Bytes:
                    value = OtlpAnyValue.KeyValueList(KeyValueList(Nested(input), depth));
                    break;
                case Field7Bytes:
                    value = OtlpAnyValue.Bytes([.. input.ReadBytes().Span]);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return value;
    }

    private static ImmutableArray<OtlpAnyValue> ArrayValue(CodedInputStream input, int depth)
    {
        var values = ImmutableArray.CreateBuilder<OtlpAnyValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Field1Bytes)
            {
                values.Add(AnyValue(Nested(input), depth + 1));
            }
            else
            {
                input.SkipLastField();
            }
        }
        return values.ToImmutable();
    }

    private static ImmutableArray<OtlpKeyValue> KeyValueList(CodedInputStream input, int depth)
    {
        var values = ImmutableArray.CreateBuilder<OtlpKeyValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Field1Bytes)
            {
                values.Add(KeyValue(Nested(input), depth + 1));
            }
            else
            {
                input.SkipLastField();
            }
        }
        return values.ToImmutable();
    }

    // A length-delimited sub-message as a stream of its own (CodedInputStream's limits are internal).
    private static CodedInputStream Nested(CodedInputStream input)
    {
        var bytes = input.ReadBytes();
        return MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            ? new CodedInputStream(segment.Array!, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToByteArray());
    }

    private static OtlpParseException Missing(string path) =>
        new($"Invalid OTLP trace export: {path} is required (traceId and spanId are required on every span)");
}
