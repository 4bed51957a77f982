using System.ClientModel;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Integration;

/// <summary>general_settings.master_key: every OpenAI route wants it, the health probes do not. Runs over a real socket.</summary>
[Collection(SecuredGatewayCollection.Name)]
public sealed class MasterKeyTests(SecuredGatewayFixture fixture)
{
    private const string ChatBody = """{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}""";

    private static HttpRequestMessage Post(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    private async Task AssertStillAnsweringAsync()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", new StringContent(ChatBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions", ChatBody)]
    [InlineData("/chat/completions", ChatBody)]
    [InlineData("/v1/completions", """{"model":"mock-chat","prompt":"x"}""")]
    [InlineData("/v1/embeddings", """{"model":"mock-embedding","input":"x"}""")]
    public async Task Post_WithoutKey_Is401(string path, string body)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = Post(path, body);

        using var response = await client.SendAsync(request);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
        await AssertStillAnsweringAsync();
    }

    [Theory]
    [InlineData("Authorization", "Bearer sk-wrong")]
    [InlineData("x-litellm-api-key", "sk-wrong")]
    [InlineData("api-key", "sk-wrong")]
    public async Task ChatCompletions_WrongKey_Is401(string header, string value)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = Post("/v1/chat/completions", ChatBody, (header, value));

        using var response = await client.SendAsync(request);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        await AssertStillAnsweringAsync();
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + SecuredGatewayFixture.Key)]
    [InlineData("x-litellm-api-key", SecuredGatewayFixture.Key)]
    [InlineData("api-key", SecuredGatewayFixture.Key)]
    public async Task ChatCompletions_MasterKeyInAnyAcceptedHeader_Is200(string header, string value)
    {
        using var client = fixture.CreateAnonymousClient();
        using var request = Post("/v1/chat/completions", ChatBody, (header, value));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/models")]
    [InlineData("/v1/models/mock-chat")]
    [InlineData("/v1/models/unknown")]
    public async Task Models_WithoutKey_Is401(string path)
    {
        using var client = fixture.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Models_WithKey_Is200()
    {
        using var response = await fixture.Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/liveliness")]
    [InlineData("/health/readiness")]
    public async Task Health_WithoutKey_IsOpen(string path)
    {
        using var client = fixture.CreateAnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_WrongKeyThroughSdk_SurfacesAs401()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("mock-chat", key: "sk-wrong").CompleteChatAsync([new UserChatMessage("x")]));

        Assert.Equal(401, e.Status);
    }

    [Fact]
    public async Task ChatCompletions_MasterKeyThroughSdkOverRealSocket_Works()
    {
        ChatCompletion completion = await fixture.Chat("mock-chat").CompleteChatAsync([new UserChatMessage("over tcp")]);

        Assert.EndsWith("You said: over tcp", completion.Content[0].Text);
    }
}
