using System.Net.Http.Headers;
using HotDash.Grains;

namespace HotDash.Api.Tests.Quotas;

/// <summary>Virtual keys on the request path: which keys get in, with LiteLLM's 401 and 403 answers for the rest.</summary>
public sealed class VirtualKeyAuthTests(QuotaGatewayFixture fixture) : IClassFixture<QuotaGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    [Fact]
    public async Task ChatCompletions_ValidVirtualKey_Is200()
    {
        var key = await registry.CreateKeyAsync();

        using var response = await registry.ChatAsync(key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("quota-chat-id", TestRegistry.Header(response, "x-litellm-model-id"));
    }

    [Fact]
    public async Task ChatCompletions_UnknownKey_Is401AuthError()
    {
        using var response = await registry.ChatAsync("sk-never-issued-" + Guid.NewGuid().ToString("n"));

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_BlockedKey_Is401AuthError()
    {
        var key = await registry.CreateKeyAsync(k => k with { Blocked = true });

        using var response = await registry.ChatAsync(key);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
        Assert.Contains("blocked", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ChatCompletions_ExpiredKey_Is401ExpiredKey()
    {
        var key = await registry.CreateKeyAsync(k => k with { Expires = DateTimeOffset.UtcNow.AddMinutes(-1) });

        using var response = await registry.ChatAsync(key);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("expired_key", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_KeyOfBlockedTeam_Is401AuthError()
    {
        var team = await registry.CreateTeamAsync(t => t with { Blocked = true });
        var key = await registry.CreateKeyAsync(k => k with { TeamId = team });

        using var response = await registry.ChatAsync(key);

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ModelOutsideTheKeysList_Is403KeyModelAccessDenied()
    {
        var key = await registry.CreateKeyAsync(k => k with { Models = ["other-chat"] });

        using var response = await registry.ChatAsync(key, "quota-chat");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, param: "model");
        Assert.Equal("key_model_access_denied", error.GetProperty("type").GetString());
        using var allowed = await registry.ChatAsync(key, "other-chat");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_ModelOutsideTheTeamsList_Is403KeyModelAccessDenied()
    {
        var team = await registry.CreateTeamAsync(t => t with { Models = ["other-chat"] });
        var key = await registry.CreateKeyAsync(k => k with { TeamId = team });

        using var response = await registry.ChatAsync(key, "quota-chat");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, param: "model");
        Assert.Equal("key_model_access_denied", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_KeyListingAnAccessGroup_ReachesTheGroupsModelsOnly()
    {
        var key = await registry.CreateKeyAsync(k => k with { Models = ["beta-models"] });

        using var inGroup = await registry.ChatAsync(key, "beta-chat");
        using var outside = await registry.ChatAsync(key, "quota-chat");

        Assert.Equal(HttpStatusCode.OK, inGroup.StatusCode);
        await OpenAiAssert.ErrorAsync(outside, HttpStatusCode.Forbidden, param: "model");
    }

    [Fact]
    public async Task ChatCompletions_KeyAlias_RoutesToTheAliasedModel()
    {
        var key = await registry.CreateKeyAsync(k => k with
        {
            Models = ["other-chat"],
            Aliases = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("my-model", "other-chat"),
        });

        using var response = await registry.ChatAsync(key, "my-model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other-chat-id", TestRegistry.Header(response, "x-litellm-model-id"));
    }

    [Fact]
    public async Task ChatCompletions_KeyAliasToAnUnknownModel_Is400AndFreesTheReservation()
    {
        var key = await registry.CreateKeyAsync(k => k with
        {
            Limits = QuotaLimits.None with { MaxParallelRequests = 1 },
            Aliases = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("ghost", "no-such-model"),
        });

        using var response = await registry.ChatAsync(key, "ghost");

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, param: "model");
        await registry.KeyQuotaWhenAsync(key, s => s.InFlight == 0);
        using var next = await registry.ChatAsync(key, "quota-chat");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/models/quota-chat")]
    public async Task Models_ValidVirtualKey_Is200WithoutUsingItsQuota(string path)
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 1 } });

        using (var first = await GetAsync(key, path))
        using (var second = await GetAsync(key, path))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        using var chat = await registry.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task Models_VirtualKey_ListsEveryModel()
    {
        var key = await registry.CreateKeyAsync(k => k with { Models = ["quota-chat"] });

        using var response = await GetAsync(key, "/v1/models");

        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")
            .EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Contains("quota-chat", ids);
        Assert.Contains("other-chat", ids);
    }

    [Fact]
    public async Task Models_BlockedKey_Is401AuthError()
    {
        var key = await registry.CreateKeyAsync(k => k with { Blocked = true });

        using var response = await GetAsync(key, "/v1/models");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Models_ExpiredKey_Is401ExpiredKey()
    {
        var key = await registry.CreateKeyAsync(k => k with { Expires = DateTimeOffset.UtcNow.AddMinutes(-1) });

        using var response = await GetAsync(key, "/v1/models/quota-chat");

        var error = await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("expired_key", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Models_UnknownKey_Is401()
    {
        using var response = await GetAsync("sk-never-issued-" + Guid.NewGuid().ToString("n"), "/v1/models");

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    private async Task<HttpResponseMessage> GetAsync(string key, string path)
    {
        using var client = fixture.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await client.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
