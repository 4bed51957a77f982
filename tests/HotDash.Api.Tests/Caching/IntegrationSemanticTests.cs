using HotDash.Api.Tests.Quotas;

namespace HotDash.Api.Tests.Caching;

/// <summary>The semantic cache end to end: a paraphrase is a SEMANTIC-HIT in its own scope only, an unrelated prompt a miss.</summary>
public sealed class IntegrationSemanticTests(IntegrationSemanticFixture fixture) : IClassFixture<IntegrationSemanticFixture>
{
    private const string Upstream = "gpt-semantic";
    private readonly TestRegistry registry = new(fixture);

    private async Task<HttpResponseMessage> ChatAsync(string key, string prompt)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = TestRegistry.Post(key, "/v1/chat/completions", $$"""{"model":"sem-chat","messages":[{"role":"user","content":"{{prompt}}"}]}""");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    // The index is written after the answer went out (off the request path): wait until it has the prompt.
    private async Task IndexedAsync(string key, int count = 1)
    {
        var index = fixture.Grains.GetGrain<HotDash.Grains.ISemanticIndexGrain>(HotDash.Grains.ISemanticIndexGrain.KeyOf("key:" + TestRegistry.Hash(key), "sem-chat"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await index.Count() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the prompt was never indexed");
            await Task.Delay(20);
        }
    }

    private static string? Header(HttpResponseMessage r, string name) => TestRegistry.Header(r, name);

    // Words unique to a test so no other test's prompts are near.
    private static string Topic() => "zq" + Guid.NewGuid().ToString("n")[..10];

    [Fact]
    public async Task Chat_Paraphrase_IsASemanticHitWithItsSimilarity()
    {
        var key = await registry.CreateKeyAsync();
        var topic = Topic();
        using var original = await ChatAsync(key, $"please tell me what the capital city of {topic} is today");
        await IndexedAsync(key);
        var before = fixture.Fake.CountFor(Upstream);
        using var paraphrase = await ChatAsync(key, $"please tell me what the capital city of {topic} is");

        Assert.Equal("MISS", Header(original, "x-hotdash-cache"));
        Assert.Equal(HttpStatusCode.OK, paraphrase.StatusCode);
        Assert.Equal("SEMANTIC-HIT", Header(paraphrase, "x-hotdash-cache"));
        var similarity = double.Parse(Header(paraphrase, "x-litellm-semantic-similarity")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(similarity, 0.8, 1.0);
        Assert.Equal(before, fixture.Fake.CountFor(Upstream));
        Assert.Equal(await original.Content.ReadAsStringAsync(), await paraphrase.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_UnrelatedPrompt_IsAMiss()
    {
        var key = await registry.CreateKeyAsync();
        using var original = await ChatAsync(key, $"please tell me what the capital city of {Topic()} is today");
        await IndexedAsync(key);
        using var unrelated = await ChatAsync(key, $"write a haiku about {Topic()} mountains in winter");

        Assert.Equal("MISS", Header(unrelated, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_ParaphraseFromAnotherKey_NeverSeesTheFirstKeysAnswers()
    {
        var first = await registry.CreateKeyAsync();
        var second = await registry.CreateKeyAsync();
        var topic = Topic();
        using var original = await ChatAsync(first, $"please tell me what the capital city of {topic} is today");
        await IndexedAsync(first);
        using var other = await ChatAsync(second, $"please tell me what the capital city of {topic} is");
        using var own = await ChatAsync(first, $"please tell me what the capital city of {topic} is now");

        Assert.Equal("MISS", Header(other, "x-hotdash-cache"));
        Assert.Equal("SEMANTIC-HIT", Header(own, "x-hotdash-cache"));
    }

    [Fact]
    public async Task Chat_DeletedEntry_IsNoSemanticHitAfterwards()
    {
        var key = await registry.CreateKeyAsync();
        var topic = Topic();
        using var original = await ChatAsync(key, $"please tell me what the capital city of {topic} is today");
        await IndexedAsync(key);
        using var delete = await fixture.Client.PostAsync("/cache/delete", JsonBody.Of($$"""{"keys":["{{Header(original, "x-litellm-cache-key")}}"]}"""));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);

        using var paraphrase = await ChatAsync(key, $"please tell me what the capital city of {topic} is");

        Assert.Equal("MISS", Header(paraphrase, "x-hotdash-cache"));
    }
}
