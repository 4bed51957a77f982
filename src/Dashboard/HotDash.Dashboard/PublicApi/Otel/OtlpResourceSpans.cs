using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>The spans of one resource (<c>ResourceSpans</c>): the process that produced them.</summary>
/// <param name="ResourceAttributes">Resource attributes (<c>service.name</c>, <c>deployment.environment</c>, ...).</param>
/// <param name="ScopeSpans">The spans, by instrumentation scope.</param>
public sealed record OtlpResourceSpans(ImmutableArray<OtlpKeyValue> ResourceAttributes, ImmutableArray<OtlpScopeSpans> ScopeSpans);
