using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// Reads OTLP trace exports (<c>POST /api/public/otel/v1/traces</c>, already un-gzipped) into <see cref="OtlpResourceSpans"/>;
/// <see cref="OtelSpanMapper"/> turns them into trace events. Input that cannot be read throws
/// <see cref="OtlpParseException"/>: a span without a trace or span id, a malformed collection, undecodable bytes.
/// </summary>
public static class OtlpTraceParser
{
    /// <summary>An <c>application/json</c> export (OTLP/JSON).</summary>
    public static ImmutableArray<OtlpResourceSpans> ParseJson(ReadOnlySpan<byte> body) => OtlpJsonReader.Read(body);

    /// <summary>An <c>application/x-protobuf</c> export.</summary>
    public static ImmutableArray<OtlpResourceSpans> ParseProtobuf(ReadOnlySpan<byte> body) => OtlpProtobufReader.Read(body);
}
