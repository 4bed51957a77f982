namespace HotDash.Api.Tests.Management;

/// <summary>Without a master key the gateway is open, and so is the management API, as LiteLLM is.</summary>
public sealed class OpenManagementTests(OpenManagementFixture fixture) : IClassFixture<OpenManagementFixture>
{
    [Fact]
    public async Task Generate_NoKeyOnAnOpenGateway_IsAccepted()
    {
        using var client = fixture.Gateway.CreateAnonymousClient();

        using var response = await client.PostAsync("/key/generate", JsonBody.Of("""{"rpm_limit": 3}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        Assert.Equal(3, (await fixture.Gateway.Registry.GetKey(token))!.Limits.RpmLimit);
    }

    [Fact]
    public async Task TeamInfo_NoKeyOnAnOpenGateway_IsAccepted()
    {
        var id = ManagementGateway.Unique("team");
        await fixture.Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{id}}"}""");

        using var client = fixture.Gateway.CreateAnonymousClient();
        using var response = await client.GetAsync($"/team/info?team_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
