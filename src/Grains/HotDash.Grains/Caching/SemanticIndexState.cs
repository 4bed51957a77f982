namespace HotDash.Grains.Caching;

/// <summary>
/// A semantic index's small persisted head (<c>[PersistentState("semantic", "hotdash")]</c>): which pages hold its rows.
/// Pages are written first and this last, so it only ever names pages that were written.
/// </summary>
[GenerateSerializer, Alias("hotdash.SemanticIndexState")]
public sealed class SemanticIndexState
{
    /// <summary>The vectors' width (0: no rows).</summary>
    [Id(0)] public int Dimension { get; set; }

    /// <summary>The sequence number the next add gets; never goes back, so a page number is never reused.</summary>
    [Id(1)] public long NextSeq { get; set; }

    /// <summary>The rows per page the pages were written with (<see cref="SemanticVectorIndex.PageRows"/>).</summary>
    [Id(2)] public int PageRows { get; set; }

    /// <summary>The numbers of the pages holding rows.</summary>
    [Id(3)] public List<long> Pages { get; set; } = [];
}
