using Xunit.Abstractions;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>
/// <c>GET /user/list</c> in LiteLLM's shape (<c>users</c>, <c>total</c>, <c>page</c>, <c>page_size</c>, <c>total_pages</c>):
/// paging, filters, newest first, bad paging refused naming the field, master key only; the same answers on the embedded
/// registry and on PostgreSQL.
/// </summary>
[Collection(ManagementCollection.Name)]
public sealed class UserListEndpointsTests(ManagementFixture fixture, ITestOutputHelper output)
{
    private ManagementGateway Gateway => fixture.Gateway;

    [Fact]
    public Task List_EmbeddedRegistry_PagesAndFiltersAsLiteLlm() => AssertListAnswersAsync(Gateway);

    [Fact]
    public async Task List_PostgresRegistry_AnswersAsTheEmbeddedOne()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        await using var gateway = await StartAsync(registryConnectionString: database.ConnectionString);

        await AssertListAnswersAsync(gateway);
    }

    [Fact]
    public async Task List_EachUser_HasTheUserInfoFieldsAndKeyCount()
    {
        var (team, id) = (Unique("team"), Unique("user"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}"}""");
        await Gateway.PostOkAsync("/user/new", $$"""
            {"user_id": "{{id}}", "user_email": "{{id}}@example.com", "user_role": "internal_user", "max_budget": 4.5,
             "tpm_limit": 1000, "rpm_limit": 20, "models": ["mock-chat"], "teams": ["{{team}}"]}
            """);

        var json = await Gateway.GetOkAsync($"/user/list?user_ids={id}");
        var info = (await Gateway.GetOkAsync($"/user/info?user_id={id}")).GetProperty("user_info");

        var user = Assert.Single(json.GetProperty("users").EnumerateArray());
        // Every field /user/info shows, with the same values, plus LiteLLM's key_count (/user/new made one key).
        foreach (var field in info.EnumerateObject())
        {
            Assert.True(user.TryGetProperty(field.Name, out var value), $"missing {field.Name}");
            Assert.Equal(field.Value.GetRawText(), value.GetRawText());
        }
        Assert.Equal(1, user.GetProperty("key_count").GetInt32());
        Assert.Equal([team], user.GetProperty("teams").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal((4.5m, 1000, 20), (user.GetProperty("max_budget").GetDecimal(), user.GetProperty("tpm_limit").GetInt32(), user.GetProperty("rpm_limit").GetInt32()));
        Assert.Equal((1, 1, 25, 1), (json.GetProperty("total").GetInt32(), json.GetProperty("page").GetInt32(),
            json.GetProperty("page_size").GetInt32(), json.GetProperty("total_pages").GetInt32()));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=x", "page")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=2.5", "page_size")]
    public async Task List_BadPaging_Is400NamingTheField(string query, string param)
    {
        var error = await Gateway.GetErrorAsync($"/user/list?{query}", HttpStatusCode.BadRequest, param);

        Assert.Contains(param, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_WithoutTheMasterKey_Is401()
    {
        using var anonymous = Gateway.CreateAnonymousClient();

        using var response = await anonymous.GetAsync("/user/list");

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key");
    }

    [Fact]
    public async Task List_UserIdsOfOnlyCommas_MatchesNobody()
    {
        var json = await Gateway.GetOkAsync("/user/list?user_ids=,,");

        Assert.Empty(json.GetProperty("users").EnumerateArray());
        Assert.Equal((0, 0), (json.GetProperty("total").GetInt32(), json.GetProperty("total_pages").GetInt32()));
    }

    /// <summary>
    /// Team a with ana, bob (proxy_admin) and cid, created in that order; team b with bob and dee. The answers do not
    /// depend on what else the registry holds: every query names the team or the users.
    /// </summary>
    private static async Task AssertListAnswersAsync(ManagementGateway gateway)
    {
        var (a, b) = (Unique("team-a"), Unique("team-b"));
        var (ana, bob, cid, dee) = (Unique("ana"), Unique("bob"), Unique("cid"), Unique("dee"));
        await gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{a}}"}""");
        await gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{b}}"}""");
        await gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{ana}}", "user_email": "{{ana}}@Example.com", "user_role": "internal_user", "teams": ["{{a}}"], "auto_create_key": false}""");
        await gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{bob}}", "user_email": "{{bob}}@example.com", "user_role": "proxy_admin", "teams": ["{{a}}", "{{b}}"]}""");
        await gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{cid}}", "user_email": "{{cid}}@other.org", "user_role": "internal_user", "teams": ["{{a}}"], "auto_create_key": false}""");
        await gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{dee}}", "user_role": "internal_user", "teams": ["{{b}}"], "auto_create_key": false}""");

        var first = await gateway.GetOkAsync($"/user/list?team={a}&page_size=2");
        var second = await gateway.GetOkAsync($"/user/list?team={a}&page_size=2&page=2");
        var beyond = await gateway.GetOkAsync($"/user/list?team={a}&page_size=2&page=3");

        Assert.Equal([cid, bob], Ids(first));
        Assert.Equal((3, 1, 2, 2), Paging(first));
        Assert.Equal([ana], Ids(second));
        Assert.Equal((3, 2, 2, 2), Paging(second));
        Assert.Empty(Ids(beyond));
        Assert.Equal((3, 3, 2, 2), Paging(beyond));

        Assert.Equal([dee, ana], Ids(await gateway.GetOkAsync($"/user/list?user_ids={ana},%20{dee},no-such-{ana}")));
        Assert.Equal([bob], Ids(await gateway.GetOkAsync($"/user/list?team={a}&role=proxy_admin")));
        Assert.Equal([cid, ana], Ids(await gateway.GetOkAsync($"/user/list?team={a}&role=internal_user")));
        Assert.Equal([dee, bob], Ids(await gateway.GetOkAsync($"/user/list?team={b}")));
        Assert.Equal([bob, ana], Ids(await gateway.GetOkAsync($"/user/list?team={a}&user_email=EXAMPLE.COM")));
        var counts = (await gateway.GetOkAsync($"/user/list?user_ids={ana},{bob}")).GetProperty("users").EnumerateArray()
            .Select(u => u.GetProperty("key_count").GetInt32()).ToArray();
        Assert.Equal([1, 0], counts);
    }

    private static string[] Ids(JsonElement list) => [.. list.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user_id").GetString()!)];

    private static (int Total, int Page, int PageSize, int TotalPages) Paging(JsonElement list) =>
        (list.GetProperty("total").GetInt32(), list.GetProperty("page").GetInt32(), list.GetProperty("page_size").GetInt32(), list.GetProperty("total_pages").GetInt32());
}
