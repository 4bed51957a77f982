using HotDash.Dashboard.PublicApi.Otel;
using static HotDash.Dashboard.Tests.PublicApi.Otel.OtlpFixtures;

namespace HotDash.Dashboard.Tests.PublicApi.Otel;

public sealed class OtlpJsonParserTests
{
    private static OtlpSpan OnlySpan(string json) =>
        Assert.Single(Assert.Single(Assert.Single(OtlpTraceParser.ParseJson(Utf8(json))).ScopeSpans).Spans);

    private static OtlpAnyValue OnlyAttribute(string attributeJson) =>
        Assert.Single(OnlySpan(SingleSpan(attributeJson)).Attributes).Value;

    [Fact]
    public void ParseJson_LangfuseSdkExport_ReadsResourceScopeAndSpans()
    {
        var resource = Assert.Single(OtlpTraceParser.ParseJson(Utf8(LangfuseSdkExport)));

        Assert.Equal("chat-app", resource.ResourceAttributes.Single(a => a.Key == "service.name").Value.StringValue);
        var scopeSpans = Assert.Single(resource.ScopeSpans);
        Assert.Equal("langfuse-sdk", scopeSpans.Scope.Name);
        Assert.Equal("4.0.0", scopeSpans.Scope.Version);
        Assert.Equal("pk-lf-1", Assert.Single(scopeSpans.Scope.Attributes).Value.StringValue);
        Assert.Equal(2, scopeSpans.Spans.Length);
        var root = scopeSpans.Spans[0];
        Assert.Equal(TraceId, root.TraceId);
        Assert.Equal(RootSpanId, root.SpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("handle-request", root.Name);
        Assert.Equal(1, root.Kind);
        Assert.Equal(1_748_779_200_000_000_000UL, root.StartTimeUnixNano);
        Assert.Equal(1_748_779_203_000_000_000UL, root.EndTimeUnixNano);
        Assert.Equal(9, root.Attributes.Length);
        Assert.Equal(RootSpanId, scopeSpans.Spans[1].ParentSpanId);
    }

    [Fact]
    public void ParseJson_EmptyObject_NoSpans()
    {
        Assert.Empty(OtlpTraceParser.ParseJson(Utf8("{}")));
    }

    [Fact]
    public void ParseJson_UpperCaseHexIds_Lowered()
    {
        var span = OnlySpan(SingleSpan("").Replace(TraceId, TraceId.ToUpperInvariant(), StringComparison.Ordinal));

        Assert.Equal(TraceId, span.TraceId);
    }

    [Fact]
    public void ParseJson_Base64Ids_ConvertedToHex()
    {
        var traceBase64 = Convert.ToBase64String(Convert.FromHexString(TraceId));
        var spanBase64 = Convert.ToBase64String(Convert.FromHexString(ChildSpanId));
        var span = OnlySpan(SingleSpan("").Replace(TraceId, traceBase64, StringComparison.Ordinal).Replace(ChildSpanId, spanBase64, StringComparison.Ordinal));

        Assert.Equal(TraceId, span.TraceId);
        Assert.Equal(ChildSpanId, span.SpanId);
    }

    [Fact]
    public void ParseJson_ByteArrayIds_ConvertedToHex()
    {
        var bytes = string.Join(",", Convert.FromHexString(TraceId).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var span = OnlySpan(SingleSpan("").Replace($"\"{TraceId}\"", $"[{bytes}]", StringComparison.Ordinal));

        Assert.Equal(TraceId, span.TraceId);
    }

    [Fact]
    public void ParseJson_SerialisedBufferIds_ConvertedToHex()
    {
        var bytes = string.Join(",", Convert.FromHexString(ChildSpanId).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var span = OnlySpan(SingleSpan("").Replace($"\"{ChildSpanId}\"", $$"""{"type":"Buffer","data":[{{bytes}}]}""", StringComparison.Ordinal));

        Assert.Equal(ChildSpanId, span.SpanId);
    }

    [Fact]
    public void ParseJson_EmptyParentSpanId_IsRoot()
    {
        Assert.Null(OnlySpan(SingleSpan("", parentSpanId: "")).ParentSpanId);
    }

    [Fact]
    public void ParseJson_SnakeCaseKeys_Accepted()
    {
        var json = $$$"""
            {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"{{{TraceId}}}","span_id":"{{{ChildSpanId}}}","start_time_unix_nano":"5",
              "attributes":[{"key":"k","value":{"int_value":"3"}}]}]}]}]}
            """;

        var span = OnlySpan(json);
        Assert.Equal(5UL, span.StartTimeUnixNano);
        Assert.Equal(3, Assert.Single(span.Attributes).Value.IntValue);
    }

    [Fact]
    public void ParseJson_NanosAsNumbers_Accepted()
    {
        var span = OnlySpan(SingleSpan("").Replace("\"1748779200000000000\"", "1748779200000000000", StringComparison.Ordinal));

        Assert.Equal(1_748_779_200_000_000_000UL, span.StartTimeUnixNano);
    }

    [Theory]
    [InlineData("""{"key":"k","value":{"stringValue":"s"}}""", OtlpValueKind.String)]
    [InlineData("""{"key":"k","value":{"boolValue":true}}""", OtlpValueKind.Bool)]
    [InlineData("""{"key":"k","value":{"intValue":"9007199254740993"}}""", OtlpValueKind.Int)]
    [InlineData("""{"key":"k","value":{"intValue":42}}""", OtlpValueKind.Int)]
    [InlineData("""{"key":"k","value":{"doubleValue":0.5}}""", OtlpValueKind.Double)]
    [InlineData("""{"key":"k","value":{"doubleValue":"NaN"}}""", OtlpValueKind.Double)]
    [InlineData("""{"key":"k","value":{"bytesValue":"AQID"}}""", OtlpValueKind.Bytes)]
    [InlineData("""{"key":"k","value":{"arrayValue":{"values":[{"intValue":1}]}}}""", OtlpValueKind.Array)]
    [InlineData("""{"key":"k","value":{"kvlistValue":{"values":[{"key":"a","value":{"stringValue":"b"}}]}}}""", OtlpValueKind.KeyValueList)]
    [InlineData("""{"key":"k","value":{}}""", OtlpValueKind.Empty)]
    [InlineData("""{"key":"k"}""", OtlpValueKind.Empty)]
    public void ParseJson_AttributeValueKinds_Read(string attribute, OtlpValueKind kind)
    {
        Assert.Equal(kind, OnlyAttribute(attribute).Kind);
    }

    [Fact]
    public void ParseJson_Int64AsString_KeepsFullPrecision()
    {
        Assert.Equal(9_007_199_254_740_993L, OnlyAttribute("""{"key":"k","value":{"intValue":"9007199254740993"}}""").IntValue);
    }

    [Fact]
    public void ParseJson_NestedValues_Read()
    {
        var value = OnlyAttribute("""{"key":"k","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"stringValue":"x"},{"boolValue":false}]}}}]}}}""");

        var inner = Assert.Single(value.KeyValues);
        Assert.Equal("a", inner.Key);
        Assert.Equal(["x"], inner.Value.ArrayValues.Where(v => v.Kind == OtlpValueKind.String).Select(v => v.StringValue!));
        Assert.Equal(2, inner.Value.ArrayValues.Length);
    }

    [Fact]
    public void ParseJson_KindAndStatusAsEnumNames_Read()
    {
        var span = OnlySpan(SingleSpan("", extra: ""","status":{"code":"STATUS_CODE_ERROR","message":"boom"}""").Replace("\"kind\":3", "\"kind\":\"SPAN_KIND_SERVER\"", StringComparison.Ordinal));

        Assert.Equal(2, span.Kind);
        Assert.Equal(OtlpStatus.Error, span.Status.Code);
        Assert.Equal("boom", span.Status.Message);
    }

    [Fact]
    public void ParseJson_Events_Read()
    {
        var span = OnlySpan(SingleSpan("", extra: ""","events":[{"timeUnixNano":"7","name":"gen_ai.user.message","attributes":[{"key":"content","value":{"stringValue":"hi"}}]}]"""));

        var spanEvent = Assert.Single(span.Events);
        Assert.Equal(7UL, spanEvent.TimeUnixNano);
        Assert.Equal("gen_ai.user.message", spanEvent.Name);
        Assert.Equal("hi", Assert.Single(spanEvent.Attributes).Value.StringValue);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"resourceSpans\":[")]
    [InlineData("{} {}")]
    public void ParseJson_NotJson_Throws(string body)
    {
        var e = Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(body)));

        Assert.StartsWith("Failed to parse OTel JSON Trace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_NotAnObject_Throws()
    {
        Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8("[1]")));
    }

    [Fact]
    public void ParseJson_MissingTraceId_ThrowsNamingTheSpan()
    {
        var json = SingleSpan("").Replace($"\"traceId\":\"{TraceId}\",", "", StringComparison.Ordinal);

        var e = Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(json)));
        Assert.Contains("resourceSpans[0].scopeSpans[0].spans[0].traceId is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_MissingSpanId_Throws()
    {
        var json = SingleSpan("").Replace($"\"spanId\":\"{ChildSpanId}\",", "", StringComparison.Ordinal);

        Assert.Contains("spanId is required", Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(json))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_IdNotHex_Throws()
    {
        var json = SingleSpan("").Replace(TraceId, "not-an-id", StringComparison.Ordinal);

        Assert.Contains("traceId must be a hex string", Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(json))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_AttributesAsObject_ThrowsWithHint()
    {
        var json = SingleSpan("").Replace("\"attributes\":[]", "\"attributes\":{\"a\":\"b\"}", StringComparison.Ordinal);

        var e = Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(json)));
        Assert.Contains("not a JSON object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_SpansNotArray_Throws()
    {
        Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8("""{"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]}""")));
    }

    [Fact]
    public void ParseJson_BadNanos_Throws()
    {
        var json = SingleSpan("").Replace("\"1748779200000000000\"", "\"soon\"", StringComparison.Ordinal);

        Assert.Throws<OtlpParseException>(() => OtlpTraceParser.ParseJson(Utf8(json)));
    }
}
