using System.Collections.Immutable;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>The instrumentation scope of a group of spans (<c>InstrumentationScope</c>).</summary>
/// <param name="Name">Scope name (e.g. <c>langfuse-sdk</c>, <c>ai</c>, <c>openinference.instrumentation.openai</c>).</param>
/// <param name="Version">Scope version.</param>
/// <param name="Attributes">Scope attributes.</param>
public sealed record OtlpScope(string Name, string Version, ImmutableArray<OtlpKeyValue> Attributes)
{
    /// <summary>A scope that was not sent.</summary>
    public static readonly OtlpScope None = new("", "", []);
}
