using HotDash.Dashboard.PublicApi.Otel;
using static HotDash.Dashboard.Tests.PublicApi.Otel.OtlpFixtures;
using static HotDash.Dashboard.Tests.PublicApi.Otel.ProtoWriter;

namespace HotDash.Dashboard.Tests.PublicApi.Otel;

public sealed class OtlpProtobufParserTests
{
    // trace.proto: ExportTraceServiceRequest { ResourceSpans resource_spans = 1 }, ResourceSpans { Resource resource = 1;
    // ScopeSpans scope_spans = 2 }, ScopeSpans { InstrumentationScope scope = 1; Span spans = 2 }, Span { trace_id 1,
    // span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6, start 7, end 8, attributes 9, events 11, status 15 }.
    private static ProtoWriter Span(string? traceId = TraceId, string? spanId = ChildSpanId, string? parent = RootSpanId)
    {
        var span = new ProtoWriter();
        if (traceId is not null)
        {
            span.Bytes(1, Convert.FromHexString(traceId));
        }
        if (spanId is not null)
        {
            span.Bytes(2, Convert.FromHexString(spanId));
        }
        span.String(3, "vendor=x");
        if (parent is not null)
        {
            span.Bytes(4, Convert.FromHexString(parent));
        }
        return span.String(5, "llm-call").Int32(6, 3).Fixed64(7, 1_748_779_200_000_000_000).Fixed64(8, 1_748_779_201_500_000_000);
    }

    private static byte[] Export(ProtoWriter span, ProtoWriter? resource = null, ProtoWriter? scope = null) =>
        new ProtoWriter().Message(1, new ProtoWriter()
            .Message(1, resource ?? new ProtoWriter().Message(1, KeyValue("service.name", StringValue("svc"))))
            .Message(2, new ProtoWriter()
                .Message(1, scope ?? new ProtoWriter().String(1, "openinference").String(2, "0.1").Message(3, KeyValue("s", StringValue("v"))))
                .Message(2, span))).ToArray();

    private static OtlpSpan OnlySpan(byte[] body) =>
        Assert.Single(Assert.Single(Assert.Single(OtlpTraceParser.ParseProtobuf(body)).ScopeSpans).Spans);

    [Fact]
    public void ParseProtobuf_Span_ReadsEveryField()
    {
        var span = OnlySpan(Export(Span()
            .Message(9, KeyValue("gen_ai.request.model", StringValue("gpt-4o")))
            .Message(11, new ProtoWriter().Fixed64(1, 42).String(2, "gen_ai.choice").Message(3, KeyValue("index", IntValue(0))))
            .Message(15, new ProtoWriter().String(2, "rate limited").Int32(3, 2))));

        Assert.Equal(TraceId, span.TraceId);
        Assert.Equal(ChildSpanId, span.SpanId);
        Assert.Equal(RootSpanId, span.ParentSpanId);
        Assert.Equal("vendor=x", span.TraceState);
        Assert.Equal("llm-call", span.Name);
        Assert.Equal(3, span.Kind);
        Assert.Equal(1_748_779_200_000_000_000UL, span.StartTimeUnixNano);
        Assert.Equal(1_748_779_201_500_000_000UL, span.EndTimeUnixNano);
        Assert.Equal("gpt-4o", Assert.Single(span.Attributes).Value.StringValue);
        var spanEvent = Assert.Single(span.Events);
        Assert.Equal(42UL, spanEvent.TimeUnixNano);
        Assert.Equal("gen_ai.choice", spanEvent.Name);
        Assert.Equal(0, Assert.Single(spanEvent.Attributes).Value.IntValue);
        Assert.Equal(new OtlpStatus(2, "rate limited"), span.Status);
    }

    [Fact]
    public void ParseProtobuf_ResourceAndScope_Read()
    {
        var resource = Assert.Single(OtlpTraceParser.ParseProtobuf(Export(Span())));

        Assert.Equal("svc", Assert.Single(resource.ResourceAttributes).Value.StringValue);
        var scope = Assert.Single(resource.ScopeSpans).Scope;
        Assert.Equal("openinference", scope.Name);
        Assert.Equal("0.1", scope.Version);
        Assert.Equal("v", Assert.Single(scope.Attributes).Value.StringValue);
    }

    [Fact]
    public void ParseProtobuf_AnyValueKinds_Read()
    {
        var span = OnlySpan(Export(Span()
            .Message(9, KeyValue("s", StringValue("text")))
            .Message(9, KeyValue("b", new ProtoWriter().Bool(2, true)))
            .Message(9, KeyValue("i", IntValue(-5)))
            .Message(9, KeyValue("d", new ProtoWriter().Double(4, 0.25)))
            .Message(9, KeyValue("a", new ProtoWriter().Message(5, new ProtoWriter().Message(1, StringValue("x")).Message(1, IntValue(2)))))
            .Message(9, KeyValue("kv", new ProtoWriter().Message(6, new ProtoWriter().Message(1, KeyValue("inner", StringValue("y"))))))
            .Message(9, KeyValue("bytes", new ProtoWriter().Bytes(7, [1, 2, 3])))
            .Message(9, KeyValue("empty", new ProtoWriter()))));

        var values = span.Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("text", values["s"].StringValue);
        Assert.True(values["b"].BoolValue);
        Assert.Equal(-5, values["i"].IntValue);
        Assert.Equal(0.25, values["d"].DoubleValue);
        Assert.Equal([OtlpValueKind.String, OtlpValueKind.Int], values["a"].ArrayValues.Select(v => v.Kind));
        Assert.Equal("y", Assert.Single(values["kv"].KeyValues).Value.StringValue);
        Assert.Equal(new byte[] { 1, 2, 3 }, values["bytes"].BytesValue.ToArray());
        Assert.Equal(OtlpValueKind.Empty, values["empty"].Kind);
    }

    [Fact]
    public void ParseProtobuf_NoParent_IsRoot()
    {
        Assert.Null(OnlySpan(Export(Span(parent: null))).ParentSpanId);
    }

    [Fact]
    public void ParseProtobuf_UnknownFields_Skipped()
    {
        var span = OnlySpan(Export(Span().Fixed64(99, 7).String(98, "x").Int32(16, 1).Message(13, new ProtoWriter().String(5, "link"))));

        Assert.Equal(ChildSpanId, span.SpanId);
    }

    [Fact]
    public void ParseProtobuf_EmptyBody_NoSpans()
    {
        Assert.Empty(OtlpTraceParser.ParseProtobuf([]));
    }

    [Fact]
    public void ParseProtobuf_MissingTraceId_Throws()
    {
        var e = Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseProtobuf(Export(Span(traceId: null))));

        Assert.Contains("traceId is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProtobuf_MissingSpanId_Throws()
    {
        Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseProtobuf(Export(Span(spanId: null))));
    }

    [Fact]
    public void ParseProtobuf_Truncated_Throws()
    {
        var body = Export(Span());

        var e = Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseProtobuf(body.AsSpan(0, body.Length - 5)));
        Assert.StartsWith("Failed to parse OTel Protobuf Trace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProtobuf_Garbage_Throws()
    {
        Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseProtobuf([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));
    }

    [Fact]
    public void ParseProtobuf_SameExportAsJson_MapsToSameEvents()
    {
        var protobuf = Export(Span(parent: null).Message(9, KeyValue("gen_ai.request.model", StringValue("gpt-4o")))
            .Message(9, KeyValue("gen_ai.usage.input_tokens", IntValue(12))));
        var json = SingleSpan($"{Str("gen_ai.request.model", "gpt-4o")},{Int("gen_ai.usage.input_tokens", 12)}", scope: "openinference")
            .Replace("\"1748779201000000000\"", "\"1748779201500000000\"", StringComparison.Ordinal)
            .Replace("\"name\":\"operation\"", "\"name\":\"llm-call\"", StringComparison.Ordinal);

        var fromProtobuf = OtelSpanMapper.Map(OtlpTraceParser.ParseProtobuf(protobuf), "p", 0);
        var fromJson = OtelSpanMapper.Map(OtlpTraceParser.ParseJson(Utf8(json)), "p", 0);

        Assert.Equal(fromJson.Select(e => (e.EventId, e.Type, e.TimestampMs)), fromProtobuf.Select(e => (e.EventId, e.Type, e.TimestampMs)));
        var a = fromProtobuf.Single(e => e.Observation is not null).Observation!;
        var b = fromJson.Single(e => e.Observation is not null).Observation!;
        Assert.Equal(b.Model, a.Model);
        Assert.Equal(b.UsageDetails!.OrderBy(kv => kv.Key), a.UsageDetails!.OrderBy(kv => kv.Key));
        Assert.Equal("GENERATION", a.Type);
    }
}
