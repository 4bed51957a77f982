using HotDash.Api.Tests.Quotas;

namespace HotDash.Api.Tests.Caching;

/// <summary><c>cache_params.mode: default_off</c>: the cache is used only by requests that ask with <c>use-cache: true</c>.</summary>
public sealed class IntegrationDefaultOffTests(DefaultOffCachingFixture fixture) : IClassFixture<DefaultOffCachingFixture>
{
    private const string Upstream = "gpt-cache";

    private async Task<HttpResponseMessage> ChatAsync(string prompt, string extra = "")
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = TestRegistry.Post(IntegrationCachingFixture.Key, "/v1/chat/completions",
            $$"""{"model":"cache-chat","messages":[{"role":"user","content":"{{prompt}}"}]{{extra}}}""");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Chat_WithoutUseCache_IsNeverCached()
    {
        var prompt = "default off " + Guid.NewGuid().ToString("n");
        var before = fixture.Fake.CountFor(Upstream);
        using var first = await ChatAsync(prompt);
        using var second = await ChatAsync(prompt);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(TestRegistry.Header(second, "x-hotdash-cache"));
        Assert.Equal(before + 2, fixture.Fake.CountFor(Upstream));
    }

    [Fact]
    public async Task Chat_WithUseCacheTrue_Hits()
    {
        var prompt = "default off " + Guid.NewGuid().ToString("n");
        const string UseCache = ""","cache":{"use-cache":true}""";
        using var first = await ChatAsync(prompt, UseCache);
        using var second = await ChatAsync(prompt, UseCache);

        Assert.Equal("MISS", TestRegistry.Header(first, "x-hotdash-cache"));
        Assert.Equal("HIT", TestRegistry.Header(second, "x-hotdash-cache"));
    }
}
