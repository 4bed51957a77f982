using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>A timed event within a span (<c>Span.Event</c>), e.g. <c>gen_ai.user.message</c>.</summary>
/// <param name="TimeUnixNano">When, Unix nanoseconds (0 if not sent).</param>
/// <param name="Name">Event name.</param>
/// <param name="Attributes">Event attributes.</param>
public sealed record OtlpSpanEvent(ulong TimeUnixNano, string Name, ImmutableArray<OtlpKeyValue> Attributes);
