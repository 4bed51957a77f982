using System.ClientModel;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Integration;

/// <summary>Bad requests: each gets the right status and an OpenAI-shaped error, and the gateway keeps answering.</summary>
public sealed class RequestErrorTests(MockGatewayFixture fixture) : IClassFixture<MockGatewayFixture>
{
    private async Task AssertStillAnsweringAsync()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","messages":[{"role":"user","content":"still there?"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"model\":\"mock-chat\",\"messages\":[")]
    [InlineData("{not json}")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} {}")]
    public async Task ChatCompletions_MalformedJson_Is400(string body)
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_MissingModel_Is400NamingModel()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"messages":[{"role":"user","content":"x"}]}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "model");
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_ModelNotAString_Is400NamingModel()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":7,"messages":[{"role":"user","content":"x"}]}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "model");
    }

    [Theory]
    [InlineData("""{"model":"mock-chat"}""")]
    [InlineData("""{"model":"mock-chat","messages":[]}""")]
    [InlineData("""{"model":"mock-chat","messages":"hello"}""")]
    public async Task ChatCompletions_MissingOrEmptyMessages_Is400NamingMessages(string body)
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages");
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_StreamNotABoolean_Is400NamingStream()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"mock-chat","stream":"yes","messages":[{"role":"user","content":"x"}]}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "stream");
    }

    [Fact]
    public async Task Completions_MissingPrompt_Is400NamingPrompt()
    {
        using var response = await fixture.Client.PostAsync("/v1/completions", JsonBody.Of("""{"model":"mock-chat"}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "prompt");
    }

    [Fact]
    public async Task Embeddings_MissingInput_Is400NamingInput()
    {
        using var response = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of("""{"model":"mock-embedding"}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "input");
    }

    [Fact]
    public async Task Embeddings_EmptyInputArray_Is400()
    {
        using var response = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of("""{"model":"mock-embedding","input":[]}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_Is400NamingTheModelAndListingKnownOnes()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of("""{"model":"gpt-nonexistent","messages":[{"role":"user","content":"x"}]}"""));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "model");
        var message = error.GetProperty("message").GetString();
        Assert.Contains("gpt-nonexistent", message);
        Assert.Contains("mock-chat", message);
        Assert.Contains("mock-embedding", message);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_UnknownModelThroughSdk_SurfacesAs400()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("gpt-nonexistent").CompleteChatAsync([new UserChatMessage("x")]));

        Assert.Equal(400, e.Status);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimitWithContentLength_Is413()
    {
        var body = """{"model":"mock-chat","messages":[{"role":"user","content":" """ + new string('x', MockGatewayFixture.MaxRequestBytes * 2) + "\"}]}";

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimitChunked_Is413()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"model":"mock-chat","messages":[{"role":"user","content":" """ + new string('x', MockGatewayFixture.MaxRequestBytes * 2) + "\"}]}");
        var content = new StreamContent(new NonSeekableStream(bytes)); // no Content-Length: the gateway must count
        content.Headers.ContentType = new("application/json");

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", content);

        Assert.Null(content.Headers.ContentLength);
        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_BodyJustUnderLimit_IsAccepted()
    {
        var prefix = """{"model":"mock-chat","max_tokens":1,"messages":[{"role":"user","content":" """;
        var body = prefix + new string('x', MockGatewayFixture.MaxRequestBytes - prefix.Length - 10) + "\"}]}";

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("POST", "/v1/images/generations")]
    [InlineData("GET", "/")]
    public async Task UnknownRoute_Is404Json(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonBody.Of("{}") : null };
        using var response = await fixture.Client.SendAsync(request);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(path, error.GetProperty("message").GetString());
        await AssertStillAnsweringAsync();
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("PUT", "/v1/embeddings")]
    [InlineData("DELETE", "/v1/models")]
    [InlineData("POST", "/health/liveliness")]
    public async Task WrongMethod_Is405Json(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await fixture.Client.SendAsync(request);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Contains(method, error.GetProperty("message").GetString());
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task BadRequests_ManyAtOnce_AllAnsweredAndGatewayKeepsWorking()
    {
        string[] bodies = ["{", "[]", """{"model":1}""", """{"model":"nope","messages":[{"role":"user","content":"x"}]}""", """{"model":"mock-chat"}"""];
        var calls = Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(bodies[i % bodies.Length]));
            return response.StatusCode;
        });

        var statuses = await Task.WhenAll(calls);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        await AssertStillAnsweringAsync();
    }

    /// <summary>A body whose length is not known in advance (sent chunked).</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
