using System.Collections.Immutable;

namespace HotDash.Analytics.Merge;

/// <summary>The stored rows a batch of events touches, per table (what the writer reads before it merges).</summary>
/// <param name="Traces">Traces the events are about.</param>
/// <param name="Observations">Observations the events are about.</param>
/// <param name="Scores">Scores the events are about.</param>
public sealed record MergeKeys(
    ImmutableArray<EntityKey> Traces,
    ImmutableArray<EntityKey> Observations,
    ImmutableArray<EntityKey> Scores)
{
    /// <summary>Whether no event is about any entity (nothing to read or write).</summary>
    public bool IsEmpty => Traces.IsEmpty && Observations.IsEmpty && Scores.IsEmpty;
}
