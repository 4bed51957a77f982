using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// The observation tree of a trace, built from <see cref="ObservationRecord.ParentObservationId"/>. An observation
/// whose parent is missing (not ingested yet, or in another trace) becomes a root rather than disappearing; a parent
/// cycle (bad client data) is cut where it closes, so every observation appears exactly once.
/// </summary>
public sealed class ObservationTree
{
    private ObservationTree(IReadOnlyList<ObservationNode> roots, long? startMs, long? endMs)
    {
        Roots = roots;
        StartMs = startMs;
        EndMs = endMs;
    }

    /// <summary>Top-level observations (and orphans), by start time.</summary>
    public IReadOnlyList<ObservationNode> Roots { get; }

    /// <summary>Earliest start of any observation; <see langword="null"/> when none has one.</summary>
    public long? StartMs { get; }

    /// <summary>Latest end (or start) of any observation.</summary>
    public long? EndMs { get; }

    /// <summary>Every node, depth first (parents before their children), as the page lists them.</summary>
    public IEnumerable<ObservationNode> Flatten()
    {
        var stack = new Stack<ObservationNode>(Roots.Reverse());
        while (stack.TryPop(out var node))
        {
            yield return node;
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(node.Children[i]);
            }
        }
    }

    /// <summary>Builds the tree of <paramref name="observations"/>.</summary>
    public static ObservationTree Build(IEnumerable<ObservationRecord> observations)
    {
        var all = observations.GroupBy(o => o.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var byId = all.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var children = all
            .Where(o => o.ParentObservationId is { } p && p != o.Id && byId.ContainsKey(p))
            .ToLookup(o => o.ParentObservationId!, StringComparer.Ordinal);
        var placed = new HashSet<string>(StringComparer.Ordinal);

        ObservationNode Node(ObservationRecord o, int depth)
        {
            placed.Add(o.Id);
            var kids = Order(children[o.Id]).Where(c => !placed.Contains(c.Id)).ToList();
            return new ObservationNode(o, depth, [.. kids.Where(c => !placed.Contains(c.Id)).Select(c => Node(c, depth + 1))]);
        }

        var roots = new List<ObservationNode>();
        foreach (var o in Order(all.Where(o => o.ParentObservationId is not { } p || p == o.Id || !byId.ContainsKey(p))))
        {
            roots.Add(Node(o, 0));
        }
        // What is left sits on a parent cycle: start each remaining cycle at its earliest member.
        foreach (var o in Order(all))
        {
            if (!placed.Contains(o.Id))
            {
                roots.Add(Node(o, 0));
            }
        }

        var starts = all.Where(o => o.StartTimeMs is not null).Select(o => o.StartTimeMs!.Value).ToList();
        var ends = all.Select(o => o.EndTimeMs ?? o.StartTimeMs).Where(t => t is not null).Select(t => t!.Value).ToList();
        return new ObservationTree(roots, starts.Count > 0 ? starts.Min() : null, ends.Count > 0 ? ends.Max() : null);
    }

    private static IEnumerable<ObservationRecord> Order(IEnumerable<ObservationRecord> items) =>
        items.OrderBy(o => o.StartTimeMs ?? long.MaxValue).ThenBy(o => o.Id, StringComparer.Ordinal);
}
