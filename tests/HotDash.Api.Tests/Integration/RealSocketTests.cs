namespace HotDash.Api.Tests.Integration;

/// <summary>What only a real TCP connection shows: oversized bodies refused while the client is still sending.</summary>
[Collection(SecuredGatewayCollection.Name)]
public sealed class RealSocketTests(SecuredGatewayFixture fixture)
{
    private static byte[] Oversized() =>
        Encoding.UTF8.GetBytes("""{"model":"mock-chat","messages":[{"role":"user","content":" """ + new string('x', 3 * 1024 * 1024) + "\"}]}");

    private async Task AssertStillAnsweringAsync()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimitWithContentLength_Is413OverTcp()
    {
        var content = new ByteArrayContent(Oversized());
        content.Headers.ContentType = new("application/json");

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", content);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimitChunked_Is413OverTcp()
    {
        var content = new StreamContent(new UnknownLengthStream(Oversized()));
        content.Headers.ContentType = new("application/json");

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", content);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillAnsweringAsync();
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
