using HotDash.Grains.Caching;

namespace HotDash.Grains.Tests.Caching;

[Collection(SemanticClusterCollection.Name)]
public sealed class SemanticIndexGrainTests(SemanticClusterFixture fixture)
{
    private const int Dim = 384;
    private const double Threshold = 0.9;
    private const long Now = 1_767_225_600_000; // 2026-01-01

    private static string NewIndexKey(string scope = "global", string group = "gpt-4o") =>
        ISemanticIndexGrain.KeyOf(scope, group + "-" + Guid.NewGuid().ToString("N"));

    private ISemanticIndexGrain Index(string key) => fixture.Grains.GetGrain<ISemanticIndexGrain>(key);

    [Fact]
    public async Task Search_Paraphrase_MatchesAboveThreshold()
    {
        var index = Index(NewIndexKey());
        var prompt = SemanticVectors.Random(1, Dim);
        await index.Add("cache-key-1", prompt, null);
        for (var i = 2; i < 40; i++)
        {
            await index.Add($"cache-key-{i}", SemanticVectors.Random(i, Dim), null);
        }
        var paraphrase = SemanticVectors.Near(prompt, 1000, 0.3);

        var match = await index.Search(paraphrase, Threshold, Now);

        Assert.NotNull(match);
        Assert.Equal("cache-key-1", match.CacheKey);
        Assert.InRange(match.Similarity, Threshold, 1.0);
        Assert.Equal(SemanticVectors.Cosine(prompt, paraphrase), match.Similarity, 4);
    }

    [Fact]
    public async Task Search_UnrelatedPrompt_Misses()
    {
        var index = Index(NewIndexKey());
        for (var i = 0; i < 40; i++)
        {
            await index.Add($"cache-key-{i}", SemanticVectors.Random(i, Dim), null);
        }

        Assert.Null(await index.Search(SemanticVectors.Random(12345, Dim), Threshold, Now));
        // A looser paraphrase than the threshold allows misses too.
        Assert.Null(await index.Search(SemanticVectors.Near(SemanticVectors.Random(3, Dim), 7, 1.0), Threshold, Now));
    }

    [Fact]
    public async Task Search_OtherScopeOrModelGroup_NeverSeesTheRows()
    {
        var group = "gpt-4o-" + Guid.NewGuid().ToString("N");
        var prompt = SemanticVectors.Random(1, Dim);
        await Index(ISemanticIndexGrain.KeyOf("team:a", group)).Add("team-a-answer", prompt, null);

        Assert.Equal("team-a-answer", (await Index(ISemanticIndexGrain.KeyOf("team:a", group)).Search(prompt, Threshold, Now))?.CacheKey);
        Assert.Null(await Index(ISemanticIndexGrain.KeyOf("team:b", group)).Search(prompt, Threshold, Now));
        Assert.Null(await Index(ISemanticIndexGrain.KeyOf("global", group)).Search(prompt, Threshold, Now));
        Assert.Null(await Index(ISemanticIndexGrain.KeyOf("team:a", group + "-other")).Search(prompt, Threshold, Now));
    }

    [Fact]
    public async Task Search_ExpiredRow_Misses()
    {
        var index = Index(NewIndexKey());
        var prompt = SemanticVectors.Random(1, Dim);
        await index.Add("expiring", prompt, Now + 60_000);

        Assert.Equal("expiring", (await index.Search(prompt, Threshold, Now + 59_999))?.CacheKey);
        Assert.Null(await index.Search(prompt, Threshold, Now + 60_000));
    }

    [Fact]
    public async Task Add_BeyondCap_EvictsTheOldest()
    {
        var index = Index(NewIndexKey());
        var first = SemanticVectors.Random(1, 16);
        await index.Add("first", first, null);
        for (var i = 0; i < SemanticClusterFixture.MaxRows; i++)
        {
            await index.Add($"k{i}", SemanticVectors.Random(100 + i, 16), null);
        }

        Assert.Equal(SemanticClusterFixture.MaxRows, await index.Count());
        Assert.Null(await index.Search(first, 0.99, Now));
        Assert.Equal("k0", (await index.Search(SemanticVectors.Random(100, 16), 0.99, Now))?.CacheKey);
    }

    [Fact]
    public async Task Deactivation_RowsSurviveInStorage()
    {
        var key = NewIndexKey();
        var index = Index(key);
        var vectors = Enumerable.Range(0, 300).Select(i => SemanticVectors.Random(i, Dim)).ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            await index.Add($"k{i}", vectors[i], i == 0 ? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() : null);
        }
        Assert.Equal(1, await index.Remove(["k1", "not-indexed"]));

        await fixture.Cluster.DeactivateAsync(index);
        var again = Index(key);

        Assert.Equal(299, await again.Count());
        Assert.Equal("k0", (await again.Search(vectors[0], 0.99, Now))?.CacheKey);
        Assert.Null(await again.Search(vectors[1], 0.99, Now));
        Assert.Equal("k299", (await again.Search(vectors[299], 0.99, Now))?.CacheKey);
        // The dimension is remembered too: a vector of another width matches nothing.
        Assert.Null(await again.Search(SemanticVectors.Random(1, Dim * 4), 0.0, Now));
        Assert.Equal(299, await again.Count());
    }

    [Fact]
    public async Task Add_ABatch_IsWrittenBehindInPagesWithoutDeactivation()
    {
        var key = NewIndexKey();
        var index = Index(key);
        for (var i = 0; i < SemanticClusterFixture.WriteEveryAdds; i++)
        {
            await index.Add($"k{i}", SemanticVectors.Random(i, 8), null);
        }

        var grainId = index.GetGrainId();
        var head = new GrainState<SemanticIndexState>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            await fixture.Storage.ReadStateAsync("semantic", grainId, head);
            if (head.RecordExists && head.State is { Pages.Count: > 0 })
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.True(head.RecordExists, "the head was not written");
        Assert.Equal(new long[] { 0 }, head.State!.Pages);
        Assert.Equal(8, head.State!.Dimension);
        var page = new GrainState<SemanticIndexPage>();
        await fixture.Storage.ReadStateAsync(SemanticIndexGrain.PageName(0), grainId, page);
        Assert.True(page.RecordExists);
        Assert.Equal(SemanticClusterFixture.WriteEveryAdds, page.State!.Keys.Length);
    }

    [Fact]
    public async Task Add_OtherDimension_StartsTheIndexOverForTheNewModel()
    {
        var index = Index(NewIndexKey());
        var old = SemanticVectors.Random(1, Dim);
        await index.Add("k", old, null);

        // Another width means another embedding model: a search of that width matches nothing, an add starts over.
        Assert.Null(await index.Search(SemanticVectors.Random(2, 1536), 0.0, 0));
        var wide = SemanticVectors.Random(3, 1536);
        await index.Add("k2", wide, null);

        Assert.Equal(1, await index.Count());
        Assert.Equal("k2", (await index.Search(wide, 0.99, 0))?.CacheKey);
        Assert.Null(await index.Search(old, 0.0, 0));
    }

    [Fact]
    public async Task Clear_RemovesEverythingAndAllowsANewModel()
    {
        var key = NewIndexKey();
        var index = Index(key);
        for (var i = 0; i < 20; i++)
        {
            await index.Add($"k{i}", SemanticVectors.Random(i, Dim), null);
        }

        await index.Clear();
        await index.Add("new-model", SemanticVectors.Random(1, 1536), null);
        await fixture.Cluster.DeactivateAsync(index);

        Assert.Equal(1, await Index(key).Count());
        Assert.Equal("new-model", (await Index(key).Search(SemanticVectors.Random(1, 1536), 0.99, Now))?.CacheKey);
        Assert.Null(await Index(key).Search(SemanticVectors.Random(5, 1536), 0.5, Now));
    }
}
