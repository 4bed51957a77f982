using System.Net.Http.Headers;

namespace HotDash.Api.Tests.Quotas;

/// <summary>With the silo gone a virtual key cannot be checked, so it is refused with 503; the master key needs no cluster.</summary>
public sealed class ClusterDownTests(ClusterDownFixture fixture) : IClassFixture<ClusterDownFixture>, IAsyncLifetime
{
    private readonly TestRegistry registry = new(fixture);
    private string key = "";

    public async Task InitializeAsync()
    {
        key = await registry.CreateKeyAsync();
        using (var before = await registry.ChatAsync(key, "mock-chat"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        await fixture.StopSiloAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ChatCompletions_VirtualKeyWithTheClusterDown_Is503AndNeverGoesThroughUnchecked()
    {
        using var response = await registry.ChatAsync(key, "mock-chat");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("service_unavailable", error.GetProperty("type").GetString());

        using var models = await ModelsAsync(key);
        await OpenAiAssert.ErrorAsync(models, HttpStatusCode.ServiceUnavailable);

        using var master = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":"mock-chat","messages":[{"role":"user","content":"no cluster needed"}]}"""));
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
    }

    private async Task<HttpResponseMessage> ModelsAsync(string virtualKey)
    {
        using var client = fixture.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", virtualKey);
        var response = await client.GetAsync("/v1/models");
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
