using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>One span (<c>opentelemetry.proto.trace.v1.Span</c>), ids as lower-case hex.</summary>
public sealed record OtlpSpan
{
    /// <summary>Trace id, 32 hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>Span id, 16 hex digits.</summary>
    public required string SpanId { get; init; }

    /// <summary>Parent span id; <see langword="null"/> for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>W3C trace state.</summary>
    public string TraceState { get; init; } = "";

    /// <summary>Span name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Span kind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</summary>
    public int Kind { get; init; }

    /// <summary>Start, Unix nanoseconds (0 if not sent).</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>End, Unix nanoseconds (0 if not sent).</summary>
    public ulong EndTimeUnixNano { get; init; }

    /// <summary>Span attributes, in the order sent.</summary>
    public ImmutableArray<OtlpKeyValue> Attributes { get; init; } = [];

    /// <summary>Span events.</summary>
    public ImmutableArray<OtlpSpanEvent> Events { get; init; } = [];

    /// <summary>Status.</summary>
    public OtlpStatus Status { get; init; } = OtlpStatus.Unset;
}
