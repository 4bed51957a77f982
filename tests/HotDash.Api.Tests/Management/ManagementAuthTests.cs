namespace HotDash.Api.Tests.Management;

/// <summary>The management API takes the master key only; anything else gets LiteLLM's 401 in OpenAI's shape.</summary>
[Collection(ManagementCollection.Name)]
public sealed class ManagementAuthTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "POST", "/key/generate" }, { "POST", "/key/update" }, { "POST", "/key/delete" }, { "GET", "/key/info?key=sk-1" },
        { "GET", "/key/list" }, { "POST", "/key/block" }, { "POST", "/key/unblock" }, { "POST", "/key/sk-1/regenerate" },
        { "POST", "/key/regenerate" }, { "POST", "/team/new" }, { "POST", "/team/update" }, { "POST", "/team/delete" },
        { "GET", "/team/info?team_id=t" }, { "GET", "/team/list" }, { "POST", "/team/member_add" }, { "POST", "/team/member_delete" },
        { "POST", "/user/new" }, { "GET", "/user/info?user_id=u" }, { "POST", "/user/update" }, { "POST", "/user/delete" },
        { "GET", "/spend/logs" }, { "GET", "/global/spend/report?start_date=2025-01-01&end_date=2025-01-02" },
    };

    private static HttpRequestMessage Request(string method, string path, string? bearer)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonBody.Of("{}");
        }
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutKey_Is401(string method, string path)
    {
        using var client = Gateway.CreateAnonymousClient();
        using var request = Request(method, path, null);

        using var response = await client.SendAsync(request);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key");
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WrongKey_Is401(string method, string path)
    {
        using var client = Gateway.CreateAnonymousClient();
        using var request = Request(method, path, "sk-not-the-master-key");

        using var response = await client.SendAsync(request);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key");
    }

    [Fact]
    public async Task Generate_WithAVirtualKey_Is401AndNothingIsWritten()
    {
        var key = (await Gateway.PostOkAsync("/key/generate", "{}")).GetProperty("key").GetString()!;
        var alias = ManagementGateway.Unique("by-virtual-key");
        using var client = Gateway.CreateAnonymousClient();
        using var request = Request("POST", "/key/generate", key);
        request.Content = JsonBody.Of($$"""{"key_alias": "{{alias}}"}""");

        using var response = await client.SendAsync(request);

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key");
        Assert.Null(await Gateway.Registry.GetKeyByAlias(alias));
    }

    [Fact]
    public async Task Generate_MasterKeyInLiteLlmHeader_IsAccepted()
    {
        using var client = Gateway.CreateAnonymousClient();
        using var request = Request("POST", "/key/generate", null);
        request.Headers.TryAddWithoutValidation("x-litellm-api-key", ManagementGateway.MasterKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
