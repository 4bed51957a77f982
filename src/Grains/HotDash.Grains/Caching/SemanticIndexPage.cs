namespace HotDash.Grains.Caching;

/// <summary>
/// One persisted page of a semantic index: its rows whose sequence numbers fall in
/// [<see cref="Number"/> × <see cref="SemanticVectorIndex.PageRows"/>, next page), stored beside the index's
/// <see cref="SemanticIndexState"/> in the same grain storage under <c>semantic-page-{Number}</c>. A row's key and its
/// vector are always in the same page, written together.
/// </summary>
[GenerateSerializer, Alias("hotdash.SemanticIndexPage")]
public sealed class SemanticIndexPage
{
    /// <summary>The page number (sequence number / <see cref="SemanticVectorIndex.PageRows"/>).</summary>
    [Id(0)] public long Number { get; set; }

    /// <summary>The width of every vector in <see cref="Vectors"/> (0 for an empty page).</summary>
    [Id(1)] public int Dimension { get; set; }

    /// <summary>The rows' cache keys.</summary>
    [Id(2)] public string[] Keys { get; set; } = [];

    /// <summary>The rows' sequence numbers (a key found in two pages keeps the higher one).</summary>
    [Id(3)] public long[] Seqs { get; set; } = [];

    /// <summary>The rows' expiry (Unix epoch ms; <see cref="long.MaxValue"/>: never).</summary>
    [Id(4)] public long[] ExpiresMs { get; set; } = [];

    /// <summary>The rows' unit vectors, row-major, as little-endian float bytes (the serializer's fast byte path).</summary>
    [Id(5)] public byte[] Vectors { get; set; } = [];

    /// <summary>Whether the arrays agree with each other (a page from a foreign or broken write is skipped).</summary>
    public bool IsWellFormed() =>
        Keys is not null && Seqs is not null && ExpiresMs is not null && Vectors is not null
        && Seqs.Length == Keys.Length && ExpiresMs.Length == Keys.Length
        && Dimension >= 0 && Vectors.LongLength == (long)Keys.Length * Dimension * sizeof(float)
        && Array.TrueForAll(Keys, k => !string.IsNullOrEmpty(k));
}
