using HotDash.Api.Management;
using HotDash.Grains;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>/spend/logs and /global/spend/report over ledger rows written as the gateway ships them.</summary>
[Collection(ManagementCollection.Name)]
public sealed class SpendEndpointsTests(ManagementFixture fixture)
{
    private ManagementGateway Gateway => fixture.Gateway;

    // A day of its own per test class run, far in the past, so other tests' spend never lands in it.
    private static readonly DateTimeOffset Day = new(2001, 2, 3, 10, 0, 0, TimeSpan.Zero);

    private async Task<(string Key, string Token, string Team, string User)> KeyWithSpendAsync(DateTimeOffset at, params (string Model, decimal Spend, string? EndUser)[] requests)
    {
        var (team, user) = (Unique("team"), Unique("user"));
        await Gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}", "team_alias": "{{team}}-alias"}""");
        await Gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{user}}", "auto_create_key": false}""");
        var generated = await Gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{team}}", "user_id": "{{user}}"}""");
        var (key, token) = (generated.GetProperty("key").GetString()!, generated.GetProperty("token").GetString()!);
        var rows = requests.Select((r, i) => new SpendRow(Unique("req"), token, r.Model + "-2024", r.Spend, at.AddMinutes(i), at.AddMinutes(i).AddSeconds(1))
        {
            TeamId = team, UserId = user, EndUser = r.EndUser, ModelGroup = r.Model, DeploymentId = r.Model + "-id", CallType = "acompletion",
            PromptTokens = 10, CompletionTokens = 5,
        }).ToArray();
        Assert.Equal(rows.Length, await Gateway.Grains.GetGrain<ISpendLedgerGrain>(ISpendLedgerGrain.DefaultKey).Write([.. rows]));
        return (key, token, team, user);
    }

    [Fact]
    public async Task Logs_ApiKeyAsKeyOrHash_AnswersThatKeysRowsNewestFirst()
    {
        var (key, token, team, user) = await KeyWithSpendAsync(DateTimeOffset.UtcNow.AddMinutes(-10), ("mock-chat", 0.5m, "cust-1"), ("mock-chat", 0.25m, null));

        var byKey = await Gateway.GetOkAsync($"/spend/logs?api_key={key}");
        var byHash = await Gateway.GetOkAsync($"/spend/logs?api_key={token}");

        Assert.Equal(2, byKey.GetArrayLength());
        Assert.Equal(byKey.GetRawText(), byHash.GetRawText());
        var newest = byKey[0];
        Assert.Equal(0.25m, newest.GetProperty("spend").GetDecimal());
        Assert.Equal((token, team, user), (newest.GetProperty("api_key").GetString(), newest.GetProperty("team_id").GetString(), newest.GetProperty("user").GetString()));
        Assert.Equal(("mock-chat-2024", "mock-chat", "mock-chat-id"), (newest.GetProperty("model").GetString(), newest.GetProperty("model_group").GetString(), newest.GetProperty("model_id").GetString()));
        Assert.Equal(15, newest.GetProperty("total_tokens").GetInt32());
        Assert.Equal("cust-1", byKey[1].GetProperty("end_user").GetString());
        foreach (var field in (string[])["request_id", "startTime", "endTime", "prompt_tokens", "completion_tokens", "cache_hit", "status", "metadata", "call_type"])
        {
            Assert.True(newest.TryGetProperty(field, out _), $"missing {field}");
        }
    }

    [Fact]
    public async Task Logs_TeamUserRequestAndDateFilters_Narrow()
    {
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var (_, token, team, user) = await KeyWithSpendAsync(at, ("mock-chat", 1m, null));
        var requestId = (await Gateway.GetOkAsync($"/spend/logs?api_key={token}"))[0].GetProperty("request_id").GetString()!;
        var today = at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(1, (await Gateway.GetOkAsync($"/spend/logs?team_id={team}")).GetArrayLength());
        Assert.Equal(1, (await Gateway.GetOkAsync($"/spend/logs?user_id={user}")).GetArrayLength());
        Assert.Equal(requestId, Assert.Single((await Gateway.GetOkAsync($"/spend/logs?request_id={requestId}")).EnumerateArray()).GetProperty("request_id").GetString());
        Assert.Equal(1, (await Gateway.GetOkAsync($"/spend/logs?team_id={team}&start_date={today}&end_date={today}")).GetArrayLength());
        Assert.Equal(0, (await Gateway.GetOkAsync($"/spend/logs?team_id={team}&start_date=2000-01-01&end_date=2000-01-02")).GetArrayLength());
    }

    [Theory]
    [InlineData("api_key=plain", "api_key")]
    [InlineData("start_date=yesterday", "start_date")]
    [InlineData("start_date=2025-02-02&end_date=2025-02-01", "end_date")]
    public async Task Logs_BadQuery_Is400NamingIt(string query, string param)
    {
        await Gateway.GetErrorAsync($"/spend/logs?{query}", HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task Report_Team_GroupsByDayAndTeamAlias()
    {
        var at = Day.AddDays(Random.Shared.Next(0, 2000));
        var (_, _, team, _) = await KeyWithSpendAsync(at, ("mock-chat", 1m, null), ("mock-embedding", 0.5m, null));
        var day = at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var json = await Gateway.GetOkAsync($"/global/spend/report?start_date={day}&end_date={day}&group_by=team");

        var entry = Assert.Single(json.EnumerateArray());
        Assert.Equal($"{day}T00:00:00+00:00", entry.GetProperty("group_by_day").GetString());
        var teamEntry = entry.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("team_name").GetString() == $"{team}-alias");
        Assert.Equal(1.5m, teamEntry.GetProperty("total_spend").GetDecimal());
        Assert.Equal(["mock-chat", "mock-embedding"], teamEntry.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("model").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task Report_Customer_GroupsByEndUser()
    {
        var at = Day.AddDays(Random.Shared.Next(2000, 4000));
        await KeyWithSpendAsync(at, ("mock-chat", 1m, "cust-a"), ("mock-chat", 2m, "cust-b"));
        var day = at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var json = await Gateway.GetOkAsync($"/global/spend/report?start_date={day}&end_date={day}&group_by=customer");

        var customers = Assert.Single(json.EnumerateArray()).GetProperty("customers").EnumerateArray().ToArray();
        Assert.Equal(2m, customers.Single(c => c.GetProperty("customer").GetString() == "cust-b").GetProperty("total_spend").GetDecimal());
    }

    [Fact]
    public async Task Report_ApiKey_SumsPerKeyAndModel()
    {
        var at = Day.AddDays(Random.Shared.Next(4000, 6000));
        var (key, token, _, user) = await KeyWithSpendAsync(at, ("mock-chat", 1m, null), ("mock-chat", 2m, null));
        var day = at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var grouped = await Gateway.GetOkAsync($"/global/spend/report?start_date={day}&end_date={day}&group_by=api_key");
        var oneKey = await Gateway.GetOkAsync($"/global/spend/report?start_date={day}&end_date={day}&api_key={key}");
        var oneUser = await Gateway.GetOkAsync($"/global/spend/report?start_date={day}&end_date={day}&internal_user_id={user}");

        var entry = grouped.EnumerateArray().Single(e => e.GetProperty("api_key").GetString() == token);
        Assert.Equal(3m, entry.GetProperty("total_cost").GetDecimal());
        Assert.Equal((20, 10), (entry.GetProperty("total_input_tokens").GetInt32(), entry.GetProperty("total_output_tokens").GetInt32()));
        Assert.Equal("mock-chat", Assert.Single(entry.GetProperty("model_details").EnumerateArray()).GetProperty("model").GetString());
        Assert.Equal(entry.GetRawText(), Assert.Single(oneKey.EnumerateArray()).GetRawText());
        Assert.Equal(3m, Assert.Single(oneUser.EnumerateArray()).GetProperty("total_cost").GetDecimal());
    }

    [Theory]
    [InlineData("", "start_date")]
    [InlineData("start_date=2025-01-01", "end_date")]
    [InlineData("start_date=2025-01-01&end_date=2025-01-02&group_by=model", "group_by")]
    [InlineData("start_date=01/01/2025&end_date=2025-01-02", "start_date")]
    [InlineData("start_date=2025-01-03&end_date=2025-01-02", "end_date")]
    [InlineData("start_date=2025-01-01&end_date=2025-01-02&api_key=plain", "api_key")]
    public async Task Report_BadQuery_Is400NamingIt(string query, string param)
    {
        await Gateway.GetErrorAsync($"/global/spend/report?{query}", HttpStatusCode.BadRequest, param);
    }
}
