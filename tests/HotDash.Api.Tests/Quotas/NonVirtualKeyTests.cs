using System.Net.Http.Headers;

namespace HotDash.Api.Tests.Quotas;

/// <summary>
/// With a master key, a key that is neither the master key nor <c>sk-</c>... is refused with 401 before any cluster
/// call: shown here with the silo stopped, where anything that asked the cluster would answer 503.
/// </summary>
public sealed class NonVirtualKeyTests(ClusterDownFixture fixture) : IClassFixture<ClusterDownFixture>, IAsyncLifetime
{
    private const string JunkKey = "junk-key-0123456789abcdef";

    public Task InitializeAsync() => fixture.StopSiloAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Authorization", "Bearer " + JunkKey)]
    [InlineData("x-litellm-api-key", JunkKey)]
    [InlineData("api-key", JunkKey)]
    public async Task ChatCompletions_NonSkKeyWithTheClusterDown_Is401WithoutEchoingTheKey(string header, string value)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonBody.Of("""{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}"""),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, param: "api_key");
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("LiteLLM Virtual Key expected", message);
        Assert.Contains("expected to start with 'sk-'", message);
        Assert.DoesNotContain(JunkKey, message);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/models/mock-chat")]
    public async Task Models_NonSkKeyWithTheClusterDown_Is401(string path)
    {
        using var client = fixture.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JunkKey);

        using var response = await client.GetAsync(path);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain(JunkKey, await response.Content.ReadAsStringAsync());
    }
}
