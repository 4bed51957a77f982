using System.ClientModel;
using System.Diagnostics;
using OpenAI.Chat;

namespace HotDash.Api.Tests.Integration;

/// <summary>Upstream failures: errors passed on, timeouts, broken streams, client disconnects, retries.</summary>
public sealed class UpstreamFailureTests(UpstreamGatewayFixture fixture) : IClassFixture<UpstreamGatewayFixture>
{
    private static StringContent Chat(string model, bool stream = false) =>
        JsonBody.Of($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""");

    private async Task AssertStillAnsweringAsync()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat("fake-chat"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("fake-429", 429, "rate_limit_error")]
    [InlineData("fake-500", 500, "server_error")]
    [InlineData("fake-400", 400, "invalid_request_error")]
    public async Task ChatCompletions_UpstreamErrorStatus_IsPassedOnWithItsMessage(string model, int status, string type)
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat(model));

        var error = await OpenAiAssert.ErrorAsync(response, (HttpStatusCode)status);
        Assert.Contains($"fake upstream error {status}", error.GetProperty("message").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.True(response.Headers.Contains("x-litellm-call-id"));
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_UpstreamErrorStreamed_IsPassedOnAsJsonError()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat("fake-429", stream: true));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Embeddings_UpstreamError_IsPassedOn()
    {
        using var response = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of("""{"model":"fake-500","input":"x"}"""));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamErrorThroughSdk_SurfacesAsClientResultExceptionWithStatus()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Chat("fake-429").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, e.Status);
        Assert.Contains("fake upstream error 429", e.Message);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamSlowerThanDeploymentTimeout_Answers408AndAbortsUpstream()
    {
        var watch = Stopwatch.StartNew();

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat("fake-slow"));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.RequestTimeout);
        Assert.Equal("timeout_error", error.GetProperty("type").GetString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(4)); // timeout: 0.5, the upstream needs 5 s
        await fixture.Fake.AbortedFor("slow-5000").WaitAsync(TimeSpan.FromSeconds(5));
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_UpstreamStreamBreaksAfterTwoChunks_EndsWithErrorEventAndNoDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("fake-break", stream: true) };
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the stream had started: the status was already sent
        var body = await response.Content.ReadAsStringAsync();
        var events = OpenAiAssert.SseEvents(body);
        var upstream = FakeUpstream.ChatStreamEvents("break-after-2", includeUsage: false);
        Assert.Equal(3, events.Count);
        Assert.Equal(upstream[0], events[0]);
        Assert.Equal(upstream[1], events[1]);
        var error = OpenAiAssert.ErrorShape(events[2], "502");
        Assert.Contains("mid-stream", error.GetProperty("message").GetString());
        Assert.DoesNotContain("[DONE]", body);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_ClientDisconnectsMidStream_CancelsTheUpstreamRequest()
    {
        var aborted = fixture.Fake.AbortedFor("slow-stream");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("fake-slow-stream", stream: true) })
        using (var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256];
            Assert.True(await stream.ReadAsync(buffer) > 0); // the stream is flowing
            Assert.False(aborted.IsCompleted);
        } // the client goes away here

        // The upstream streams for 30 s unless the gateway hangs up on it.
        await aborted.WaitAsync(TimeSpan.FromSeconds(5));
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_DeploymentFailsWith500_RetriesOnTheOtherDeploymentOfTheGroup()
    {
        var failedBefore = fixture.Fake.CountFor("error-500-retry");

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat("retry-group"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(FakeUpstream.Reply, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("retry-good", Assert.Single(response.Headers.GetValues("x-litellm-model-id")));
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-litellm-attempted-retries")));
        Assert.Equal(failedBefore + 1, fixture.Fake.CountFor("error-500-retry"));
    }

    [Fact]
    public async Task ChatCompletions_StreamedDeploymentFailsWith500_RetriesAndStreamsFromTheOther()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("retry-group", stream: true) };
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("retry-good", Assert.Single(response.Headers.GetValues("x-litellm-model-id")));
        var events = OpenAiAssert.SseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal(FakeUpstream.ChatStreamEvents("echo-retry", includeUsage: false).Append("[DONE]"), events);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamUnreachable_Is502WithConnectionError()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat("fake-down"));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_ManyConcurrentUpstreamErrors_AllAnsweredAndGatewayKeepsWorking()
    {
        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await fixture.Client.PostAsync("/v1/chat/completions", Chat(i % 2 == 0 ? "fake-500" : "fake-400"));
            return (int)response.StatusCode;
        });

        var statuses = await Task.WhenAll(calls);

        Assert.All(statuses, s => Assert.Contains(s, new[] { 400, 500 }));
        await AssertStillAnsweringAsync();
    }
}
