using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>The spans of one instrumentation scope (<c>ScopeSpans</c>).</summary>
/// <param name="Scope">The scope.</param>
/// <param name="Spans">Its spans.</param>
public sealed record OtlpScopeSpans(OtlpScope Scope, ImmutableArray<OtlpSpan> Spans);
