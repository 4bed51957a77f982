using System.Net;

namespace HotDash.Api.Tests.Integration;

/// <summary>Bodies that pass the gateway's validation but stress the mock provider: 400s, never a 500.</summary>
public sealed class MockProviderLimitsTests(MockGatewayFixture fixture) : IClassFixture<MockGatewayFixture>
{
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"mock-chat","messages":[{"role":"user","content":"hi"}],"x":DEEP}""")]
    [InlineData("/v1/embeddings", """{"model":"mock-embedding","input":"hi","x":DEEP}""")]
    public async Task Mock_UnknownFieldNestedDeeperThanJsonDefaults_Answers200(string path, string template)
    {
        using var response = await fixture.Client.PostAsync(path, JsonBody.Of(template.Replace("DEEP", Nested(100), StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Mock_NestedBeyondTheLimit_Answers400()
    {
        var body = """{"model":"mock-chat","messages":[{"role":"user","content":"hi"}],"x":""" + Nested(300) + "}";

        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of(body));

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Embeddings_MoreInputsThanOpenAiAllows_Answers400NamingTheLimit()
    {
        var inputs = string.Join(',', Enumerable.Repeat("\"\"", 5000));

        using var response = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of($$"""{"model":"mock-embedding","input":[{{inputs}}]}"""));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("2048", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_AfterTheBadBodies_StillAnswers()
    {
        using var bad = await fixture.Client.PostAsync("/v1/embeddings", JsonBody.Of("""{"model":"mock-embedding","input":[{}]}"""));
        using var good = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":"mock-chat","messages":[{"role":"user","content":"ok?"}]}"""));

        await OpenAiAssert.ErrorAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
