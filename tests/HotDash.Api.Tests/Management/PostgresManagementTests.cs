using HotDash.Api.Management;
using HotDash.Grains;
using Xunit.Abstractions;
using static HotDash.Api.Tests.Management.ManagementGateway;

namespace HotDash.Api.Tests.Management;

/// <summary>The management API over the registry on real PostgreSQL: LiteLLM-shaped round trips, and what reaches the tables.</summary>
public sealed class PostgresManagementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KeysTeamsAndUsers_RoundTrip_ReachPostgresWithOnlyKeyHashesAndAudited()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        await using var gateway = await StartAsync(registryConnectionString: database.ConnectionString);
        var (team, ann, alias) = (Unique("team"), Unique("ann"), Unique("alias"));

        var created = await gateway.PostOkAsync("/team/new", $$"""
            {"team_id": "{{team}}", "team_alias": "{{team}}-alias", "rpm_limit": 50, "max_budget": 10, "budget_duration": "30d",
             "members_with_roles": [{"role": "admin", "user_id": "{{ann}}"}]}
            """, ("litellm-changed-by", "ops@example.com"));
        var generated = await gateway.PostOkAsync("/key/generate", $$"""
            {"key_alias": "{{alias}}", "team_id": "{{team}}", "user_id": "{{ann}}", "models": ["mock-chat"], "duration": "30d",
             "max_budget": 2.5, "tpm_limit": 1000, "model_rpm_limit": {"mock-chat": 5}, "metadata": {"app": "pg"} }
            """, ("litellm-changed-by", "ops@example.com"));
        var key = generated.GetProperty("key").GetString()!;
        var token = VirtualKeys.Hash(key);

        Assert.Equal(team, created.GetProperty("team_id").GetString());
        Assert.Equal(token, generated.GetProperty("token").GetString());
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.keys WHERE token = '{token}' AND key_alias = '{alias}'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.keys k WHERE k::text LIKE '%{key}%'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.audit_log a WHERE a::text LIKE '%{key}%'"));
        Assert.Equal("ops@example.com", await database.ScalarAsync<string>($"SELECT changed_by FROM hotdash.audit_log WHERE object_id = '{token}' ORDER BY id LIMIT 1"));
        Assert.Equal(VirtualKeys.Hash(MasterKey), await database.ScalarAsync<string>($"SELECT changed_by_api_key FROM hotdash.audit_log WHERE object_id = '{token}' ORDER BY id LIMIT 1"));

        var info = (await gateway.GetOkAsync($"/key/info?key={key}")).GetProperty("info");
        Assert.Equal((2.5m, 1000, "pg"), (info.GetProperty("max_budget").GetDecimal(), info.GetProperty("tpm_limit").GetInt32(), info.GetProperty("metadata").GetProperty("app").GetString()));
        Assert.Equal(5, info.GetProperty("model_rpm_limit").GetProperty("mock-chat").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, info.GetProperty("expires").ValueKind);

        await gateway.PostOkAsync("/key/update", $$"""{"key": "{{key}}", "tpm_limit": null, "rpm_limit": 9}""");
        await gateway.PostOkAsync("/key/block", $$"""{"key": "{{key}}"}""");
        Assert.True(await database.ScalarAsync<bool>($"SELECT blocked FROM hotdash.keys WHERE token = '{token}'"));
        Assert.Equal(9L, await database.ScalarAsync<long>($"SELECT rpm_limit FROM hotdash.keys WHERE token = '{token}'"));
        await gateway.PostOkAsync("/key/unblock", $$"""{"key": "{{token}}"}""");

        var regenerated = await gateway.PostOkAsync($"/key/{key}/regenerate", "{}");
        var fresh = regenerated.GetProperty("key").GetString()!;
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.keys WHERE token = '{token}'"));
        Assert.Equal(alias, await database.ScalarAsync<string>($"SELECT key_alias FROM hotdash.keys WHERE token = '{VirtualKeys.Hash(fresh)}'"));

        var teamInfo = await gateway.GetOkAsync($"/team/info?team_id={team}");
        Assert.Equal(VirtualKeys.Hash(fresh), Assert.Single(teamInfo.GetProperty("keys").EnumerateArray()).GetProperty("token").GetString());
        Assert.Equal(ann, Assert.Single(teamInfo.GetProperty("team_info").GetProperty("members_with_roles").EnumerateArray()).GetProperty("user_id").GetString());

        var bob = Unique("bob");
        var newUser = await gateway.PostOkAsync("/user/new", $$"""{"user_id": "{{bob}}", "teams": ["{{team}}"], "max_budget": 3}""");
        await gateway.PostOkAsync("/team/member_add", $$"""{"team_id": "{{team}}", "member": {"role": "user", "user_id": "{{Unique("cid")}}"} }""");
        var userInfo = await gateway.GetOkAsync($"/user/info?user_id={bob}");
        Assert.Equal(VirtualKeys.Hash(newUser.GetProperty("key").GetString()!), Assert.Single(userInfo.GetProperty("keys").EnumerateArray()).GetProperty("token").GetString());
        Assert.Equal(team, Assert.Single(userInfo.GetProperty("teams").EnumerateArray()).GetProperty("team_id").GetString());
        Assert.Equal(3L, await database.ScalarAsync<long>($"SELECT count(*) FROM hotdash.team_memberships WHERE team_id = '{team}'"));

        await gateway.PostErrorAsync("/key/generate", $$"""{"key_alias": "{{alias}}"}""", HttpStatusCode.BadRequest, "key_alias");
        await gateway.PostErrorAsync("/key/generate", $$"""{"team_id": "{{Unique("none")}}"}""", HttpStatusCode.BadRequest, "team_id");
        await gateway.PostErrorAsync("/team/new", $$"""{"team_id": "{{Unique("t")}}", "team_alias": "{{team}}-alias"}""", HttpStatusCode.BadRequest, "team_alias");
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.keys"));

        Assert.Equal(1, (await gateway.PostOkAsync("/user/delete", $$"""{"user_ids": ["{{bob}}"]}""")).GetInt32());
        var deleted = await gateway.PostOkAsync("/team/delete", $$"""{"team_ids": ["{{team}}"]}""");
        Assert.Equal(team, Assert.Single(deleted.GetProperty("deleted_teams").EnumerateArray()).GetString());
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.keys"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM hotdash.teams"));
    }

    [Fact]
    public async Task SpendLogsAndReport_LedgerInPostgres_AnswerInLiteLlmsShapes()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(output);
        if (database is null)
        {
            return;
        }
        await using var gateway = await StartAsync(registryConnectionString: database.ConnectionString);
        var team = Unique("team");
        await gateway.PostOkAsync("/team/new", $$"""{"team_id": "{{team}}", "team_alias": "Search"}""");
        var generated = await gateway.PostOkAsync("/key/generate", $$"""{"team_id": "{{team}}"}""");
        var (key, token) = (generated.GetProperty("key").GetString()!, generated.GetProperty("token").GetString()!);
        var at = new DateTimeOffset(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);
        SpendRow Row(decimal spend, int minute, string? endUser) => new(Unique("req"), token, "gpt-4o-2024-08-06", spend, at.AddMinutes(minute), at.AddMinutes(minute).AddSeconds(1))
        {
            TeamId = team, EndUser = endUser, ModelGroup = "mock-chat", DeploymentId = "dep", CallType = "acompletion", PromptTokens = 100, CompletionTokens = 20,
        };
        Assert.Equal(2, await gateway.Grains.GetGrain<ISpendLedgerGrain>(ISpendLedgerGrain.DefaultKey).Write([Row(0.125m, 0, "cust-1"), Row(0.375m, 1, null)]));

        var logs = await gateway.GetOkAsync($"/spend/logs?api_key={key}&start_date=2025-01-15&end_date=2025-01-15");
        var teams = await gateway.GetOkAsync("/global/spend/report?start_date=2025-01-15&end_date=2025-01-15&group_by=team");
        var keys = await gateway.GetOkAsync("/global/spend/report?start_date=2025-01-01&end_date=2025-01-31&group_by=api_key");

        Assert.Equal(2, logs.GetArrayLength());
        Assert.Equal(0.375m, logs[0].GetProperty("spend").GetDecimal());
        Assert.Equal(120, logs[0].GetProperty("total_tokens").GetInt32());
        var day = Assert.Single(teams.EnumerateArray());
        Assert.Equal("2025-01-15T00:00:00+00:00", day.GetProperty("group_by_day").GetString());
        var teamEntry = Assert.Single(day.GetProperty("teams").EnumerateArray());
        Assert.Equal(("Search", 0.5m), (teamEntry.GetProperty("team_name").GetString(), teamEntry.GetProperty("total_spend").GetDecimal()));
        var keyEntry = Assert.Single(keys.EnumerateArray());
        Assert.Equal((token, 0.5m, 200, 40), (keyEntry.GetProperty("api_key").GetString(), keyEntry.GetProperty("total_cost").GetDecimal(),
            keyEntry.GetProperty("total_input_tokens").GetInt32(), keyEntry.GetProperty("total_output_tokens").GetInt32()));
        Assert.Equal(0.5m, (await gateway.GetOkAsync($"/key/info?key={key}")).GetProperty("info").GetProperty("spend").GetDecimal());
    }
}
