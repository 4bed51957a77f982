using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>What a score list item tells about the scored trace (Langfuse's <c>trace</c> object).</summary>
internal readonly record struct ScoredTrace(bool Exists, string? UserId, ImmutableArray<string>? Tags, string? Environment, string? SessionId)
{
    /// <summary>A score without a (stored) trace.</summary>
    public static readonly ScoredTrace None = new(false, null, null, null, null);

    public static ScoredTrace Of(TraceRecord trace) =>
        new(true, trace.UserId, trace.Tags ?? [], string.IsNullOrEmpty(trace.Environment) ? "default" : trace.Environment, trace.SessionId);
}
