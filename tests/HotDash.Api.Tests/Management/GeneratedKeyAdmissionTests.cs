namespace HotDash.Api.Tests.Management;

/// <summary>A key made by /key/generate is a working key on the request path (admission is the request path's work; this is its seam).</summary>
[Collection(ManagementCollection.Name)]
public sealed class GeneratedKeyAdmissionTests(ManagementFixture fixture)
{
    private const string Chat = """{"model":"mock-chat","messages":[{"role":"user","content":"hi"}]}""";

    private async Task<HttpResponseMessage> ChatAsync(string key)
    {
        using var client = fixture.Gateway.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonBody.Of(Chat) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task GeneratedKey_ChatWithTheMockModel_IsAcceptedUntilBlocked()
    {
        var key = (await fixture.Gateway.PostOkAsync("/key/generate", """{"models": ["mock-chat"]}""")).GetProperty("key").GetString()!;

        using var accepted = await ChatAsync(key);
        await fixture.Gateway.PostOkAsync("/key/block", $$"""{"key": "{{key}}"}""");
        using var blocked = await ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await OpenAiAssert.ErrorAsync(blocked, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TeamKey_TeamBlocked_IsRefusedUntilTheTeamIsUnblocked()
    {
        var team = ManagementGateway.Unique("team");
        await fixture.Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}"}""");
        var key = (await fixture.Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{team}}", "models": ["mock-chat"]}""")).GetProperty("key").GetString()!;

        await fixture.Gateway.PostOkAsync("/team/block", $$"""{"team_id": "{{team}}"}""");
        using var blocked = await ChatAsync(key);
        await fixture.Gateway.PostOkAsync("/team/unblock", $$"""{"team_id": "{{team}}"}""");
        using var unblocked = await ChatAsync(key);

        var error = await OpenAiAssert.ErrorAsync(blocked, HttpStatusCode.Unauthorized);
        Assert.Contains("/team/unblock", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, unblocked.StatusCode);
    }
}
