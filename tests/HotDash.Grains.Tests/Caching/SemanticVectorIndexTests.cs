using HotDash.Grains.Caching;

namespace HotDash.Grains.Tests.Caching;

/// <summary>The index type alone: search, expiry, replacement, the cap, paging and reloading.</summary>
public sealed class SemanticVectorIndexTests
{
    private const int Dim = 64;
    private const long Now = 1_000_000;

    [Fact]
    public void Search_CloseVector_MatchesWithItsCosine()
    {
        var index = new SemanticVectorIndex(100);
        var prompt = SemanticVectors.Random(1, Dim);
        index.Add("k1", prompt, null);
        index.Add("k2", SemanticVectors.Random(2, Dim), null);
        var paraphrase = SemanticVectors.Near(prompt, 3, 0.2);

        var match = index.Search(paraphrase, 0.9, Now);

        Assert.NotNull(match);
        Assert.Equal("k1", match.CacheKey);
        Assert.Equal(SemanticVectors.Cosine(prompt, paraphrase), match.Similarity, 4);
        Assert.True(match.Similarity > 0.95);
    }

    [Fact]
    public void Search_UnrelatedVector_Misses()
    {
        var index = new SemanticVectorIndex(100);
        for (var i = 0; i < 50; i++)
        {
            index.Add($"k{i}", SemanticVectors.Random(i, Dim), null);
        }

        Assert.Null(index.Search(SemanticVectors.Random(999, Dim), 0.8, Now));
    }

    [Fact]
    public void Search_SeveralAboveThreshold_ReturnsTheBest()
    {
        var index = new SemanticVectorIndex(100);
        var prompt = SemanticVectors.Random(1, Dim);
        index.Add("far", SemanticVectors.Near(prompt, 2, 0.4), null);
        index.Add("near", SemanticVectors.Near(prompt, 3, 0.1), null);
        index.Add("mid", SemanticVectors.Near(prompt, 4, 0.25), null);

        Assert.Equal("near", index.Search(prompt, 0.8, Now)?.CacheKey);
    }

    [Fact]
    public void Search_SameVectorAtThresholdOne_Matches()
    {
        var index = new SemanticVectorIndex(10);
        var prompt = SemanticVectors.Random(7, Dim);
        index.Add("k", prompt, null);

        Assert.Equal("k", index.Search([.. prompt.Select(x => x * 5)], 1.0, Now)?.CacheKey);
    }

    [Fact]
    public void Search_ExpiredRow_IsSkipped()
    {
        var index = new SemanticVectorIndex(10);
        var prompt = SemanticVectors.Random(1, Dim);
        index.Add("old", prompt, Now);
        index.Add("other", SemanticVectors.Near(prompt, 2, 0.3), Now + 10);

        Assert.Equal("other", index.Search(prompt, 0.8, Now)?.CacheKey);
        Assert.Null(index.Search(prompt, 0.8, Now + 10));
        Assert.Equal(2, index.RemoveExpired(Now + 10));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Add_SameKey_ReplacesItsRow()
    {
        var index = new SemanticVectorIndex(10);
        var first = SemanticVectors.Random(1, Dim);
        var second = SemanticVectors.Random(2, Dim);
        index.Add("k", first, null);
        index.Add("k", second, null);

        Assert.Equal(1, index.Count);
        Assert.Null(index.Search(first, 0.8, Now));
        Assert.Equal("k", index.Search(second, 0.99, Now)?.CacheKey);
    }

    [Fact]
    public void Add_BeyondMaxRows_EvictsTheOldest()
    {
        var index = new SemanticVectorIndex(3);
        index.Add("a", SemanticVectors.Random(1, Dim), null);
        index.Add("b", SemanticVectors.Random(2, Dim), null);
        index.Add("c", SemanticVectors.Random(3, Dim), null);
        index.Add("a", SemanticVectors.Random(1, Dim), null); // re-added: now the newest

        var evicted = index.Add("d", SemanticVectors.Random(4, Dim), null);

        Assert.Equal("b", evicted);
        Assert.Equal(3, index.Count);
        Assert.False(index.Contains("b"));
        Assert.True(index.Contains("a") && index.Contains("c") && index.Contains("d"));
        Assert.Equal("c", index.Add("e", SemanticVectors.Random(5, Dim), null));
    }

    [Fact]
    public void Add_OtherDimension_IsRefusedWithTheReason()
    {
        var index = new SemanticVectorIndex(10);
        index.Add("k", SemanticVectors.Random(1, Dim), null);

        var add = Assert.Throws<ArgumentException>(() => index.Add("k2", SemanticVectors.Random(2, Dim * 2), null));
        Assert.Contains($"{Dim * 2} dimensions", add.Message);
        Assert.Contains($"{Dim}-dimensional", add.Message);
        Assert.Throws<ArgumentException>(() => index.Search(SemanticVectors.Random(2, 3), 0.5, Now));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Add_ZeroOrNonFiniteVector_IsRefused()
    {
        var index = new SemanticVectorIndex(10);

        Assert.Throws<ArgumentException>(() => index.Add("k", new float[Dim], null));
        Assert.Throws<ArgumentException>(() => index.Add("k", [1f, float.NaN], null));
        Assert.Throws<ArgumentException>(() => index.Add("k", [], null));
        Assert.Equal(0, index.Dimension);
    }

    [Fact]
    public void Clear_ForgetsTheDimension()
    {
        var index = new SemanticVectorIndex(10);
        index.Add("k", SemanticVectors.Random(1, Dim), null);

        index.Clear();
        index.Add("k", SemanticVectors.Random(1, 8), null);

        Assert.Equal(8, index.Dimension);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_MovesTheLastRow_OthersStillFound()
    {
        var index = new SemanticVectorIndex(10);
        var vectors = Enumerable.Range(0, 5).Select(i => SemanticVectors.Random(i, Dim)).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add($"k{i}", vectors[i], null);
        }

        Assert.True(index.Remove("k1"));
        Assert.False(index.Remove("k1"));

        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(i == 1 ? null : $"k{i}", index.Search(vectors[i], 0.99, Now)?.CacheKey);
        }
    }

    [Fact]
    public void TakeDirtyPages_AfterOneAdd_HandsOutOnlyTheNewestPage()
    {
        var index = new SemanticVectorIndex(10_000);
        for (var i = 0; i < SemanticVectorIndex.PageRows * 2 + 10; i++)
        {
            index.Add($"k{i}", SemanticVectors.Random(i, 8), null);
        }
        var (all, live) = index.TakeDirtyPages();
        Assert.Equal(new long[] { 0, 1, 2 }, live);
        Assert.Equal(3, all.Count);

        index.Add("new", SemanticVectors.Random(-1, 8), Now);
        var (dirty, _) = index.TakeDirtyPages();

        var page = Assert.Single(dirty);
        Assert.Equal(2, page.Number);
        Assert.Equal(11, page.Keys.Length);
        Assert.True(page.IsWellFormed());
        Assert.False(index.IsDirty);
    }

    [Fact]
    public void Load_FromPages_FindsTheSameRows()
    {
        var index = new SemanticVectorIndex(10_000);
        var vectors = Enumerable.Range(0, 300).Select(i => SemanticVectors.Random(i, 16)).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            index.Add($"k{i}", vectors[i], i == 5 ? Now : null);
        }
        index.Add("k7", vectors[7], null); // a replaced row: its old page and its new one
        var (pages, _) = index.TakeDirtyPages();

        var loaded = new SemanticVectorIndex(10_000);
        loaded.Load(16, index.NextSeq, pages);

        Assert.Equal(300, loaded.Count);
        Assert.Equal(index.NextSeq, loaded.NextSeq);
        Assert.Equal("k42", loaded.Search(vectors[42], 0.99, Now)?.CacheKey);
        Assert.Equal("k7", loaded.Search(vectors[7], 0.99, Now)?.CacheKey);
        Assert.Null(loaded.Search(vectors[5], 0.99, Now));
        Assert.False(loaded.IsDirty);
    }

    [Fact]
    public void Load_DuplicateKeyOrForeignPage_KeepsNewestRowAndSkipsBadPages()
    {
        var older = new SemanticVectorIndex(100);
        var v1 = SemanticVectors.Random(1, 16);
        older.Add("k", v1, null);
        var (oldPages, _) = older.TakeDirtyPages();
        var newer = new SemanticVectorIndex(100);
        newer.Load(16, older.NextSeq + SemanticVectorIndex.PageRows, []);
        var v2 = SemanticVectors.Random(2, 16);
        newer.Add("k", v2, null);
        var (newPages, _) = newer.TakeDirtyPages();
        var broken = new SemanticIndexPage { Number = 9, Dimension = 16, Keys = ["x"], Seqs = [1], ExpiresMs = [long.MaxValue], Vectors = new byte[3] };
        var wide = new SemanticIndexPage { Number = 10, Dimension = 32, Keys = ["y"], Seqs = [2], ExpiresMs = [long.MaxValue], Vectors = new byte[32 * 4] };

        var loaded = new SemanticVectorIndex(100);
        loaded.Load(16, 0, [.. newPages, .. oldPages, broken, wide]);

        Assert.Equal(1, loaded.Count);
        Assert.Null(loaded.Search(v1, 0.99, Now));
        Assert.Equal("k", loaded.Search(v2, 0.99, Now)?.CacheKey);
        Assert.True(loaded.IsDirty); // the old page still holds the stale row: it is rewritten
    }

    [Theory]
    [InlineData(48, 0.95)]
    [InlineData(48, 0.8)]
    [InlineData(48, 0.2)]
    [InlineData(48, -1.0)]
    [InlineData(300, 0.9)]
    [InlineData(300, 0.0)]
    public void Search_ManyBlocks_AgreesWithAFullScan(int dim, double threshold)
    {
        // More than two blocks, some rows correlated with the queries so that pruning and full blocks both happen.
        var rows = SemanticVectorIndex.BlockRows * 2 + 123;
        var index = new SemanticVectorIndex(rows);
        var vectors = new float[rows][];
        var bases = Enumerable.Range(0, 5).Select(b => SemanticVectors.Random(10_000 + b, dim)).ToArray();
        for (var i = 0; i < rows; i++)
        {
            vectors[i] = i % 97 == 0 ? SemanticVectors.Near(bases[i % 5], i, 0.2 + (i % 7) * 0.1) : SemanticVectors.Random(i, dim);
            index.Add($"k{i}", vectors[i], i % 11 == 0 ? Now : null); // every 11th row expired
        }
        var queries = bases.Select((b, q) => SemanticVectors.Near(b, 50_000 + q, 0.15)).Append(SemanticVectors.Random(77_777, dim));
        foreach (var query in queries)
        {
            string? expected = null;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < rows; i++)
            {
                var score = SemanticVectors.Cosine(vectors[i], query);
                if (i % 11 != 0 && score >= threshold && score > bestScore)
                {
                    (expected, bestScore) = ($"k{i}", score);
                }
            }

            var match = index.Search(query, threshold, Now);

            Assert.Equal(expected, match?.CacheKey);
            if (match is not null)
            {
                Assert.Equal(bestScore, match.Similarity, 4);
            }
        }
    }
}
