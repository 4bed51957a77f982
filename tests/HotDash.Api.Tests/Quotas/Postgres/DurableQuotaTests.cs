using System.Globalization;
using HotDash.Grains;
using Xunit.Abstractions;

namespace HotDash.Api.Tests.Quotas.Postgres;

/// <summary>
/// TPM, parallel and budget limits on the durable stack (issue 3): teams and keys made through the management API
/// into real PostgreSQL, quota state in real Redis, spend in the PostgreSQL ledger. Each test has its own database,
/// Redis key space and gateway.
/// </summary>
public sealed class DurableQuotaTests(ITestOutputHelper output)
{
    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, string type, string rateLimitType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(rateLimitType, error.GetProperty("rate_limit_type").GetString());
        return error.Clone();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? Assert.Single(values) : null;

    private static decimal Cost(HttpResponseMessage response) =>
        decimal.Parse(Header(response, "x-litellm-response-cost")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ChatCompletions_TeamTpmLimitReservedByMaxTokensInFlight_RefusesAnotherKeyOfTheTeamBeforeTheUpstreamCall()
    {
        await using var gateway = await DurableQuotaGateway.StartAsync(output);
        if (gateway is null)
        {
            return;
        }
        var team = await gateway.NewTeamAsync("\"tpm_limit\": 500");
        var (holder, _) = await gateway.GenerateKeyAsync($"\"team_id\": \"{team}\"");
        var (other, _) = await gateway.GenerateKeyAsync($"\"team_id\": \"{team}\"");
        using var cancel = new CancellationTokenSource();
        var slow = gateway.ChatAsync(holder, "slow-chat", ""","max_tokens":2000""", cancel.Token);
        await gateway.QuotaWhenAsync(QuotaSubjects.Team(team), s => s.InFlight == 1 && s.ReservedTokens >= 2000);

        using var refused = await gateway.ChatAsync(other, "upstream-chat", ""","max_tokens":10""");

        var error = await RefusedAsync(refused, "throttling_error", "tokens");
        Assert.Contains(team, error.GetProperty("message").GetString());
        Assert.Equal(0, gateway.Fake.CountFor("gpt-fake-echo"));
        Assert.Equal("500", Header(refused, "x-ratelimit-limit-tokens"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        await gateway.QuotaWhenAsync(QuotaSubjects.Team(team), s => s.InFlight == 0);
        await gateway.RedisStateWhenAsync(team);
    }

    [Fact]
    public async Task ChatCompletions_KeyMaxParallelRequests1_RefusesASecondWhileTheSlowOneIsInFlight_AndAdmitsAgainOnceItsClientLeaves()
    {
        await using var gateway = await DurableQuotaGateway.StartAsync(output);
        if (gateway is null)
        {
            return;
        }
        var (key, token) = await gateway.GenerateKeyAsync("\"max_parallel_requests\": 1");
        using var cancel = new CancellationTokenSource();
        var slow = gateway.ChatAsync(key, "slow-chat", ct: cancel.Token);
        await gateway.QuotaWhenAsync(QuotaSubjects.Key(token), s => s.InFlight == 1);

        using var refused = await gateway.ChatAsync(key);

        await RefusedAsync(refused, "throttling_error", "parallel_requests");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        await gateway.QuotaWhenAsync(QuotaSubjects.Key(token), s => s.InFlight == 0);
        using var next = await gateway.ChatAsync(key);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        await gateway.RedisStateWhenAsync(token);
    }

    [Fact]
    public async Task ChatCompletions_TinyKeyBudgetOnAPricedModel_IsBudgetExceededAfterTheFirstSpend_WhichIsOneRowInTheLedger()
    {
        await using var gateway = await DurableQuotaGateway.StartAsync(output);
        if (gateway is null)
        {
            return;
        }
        var team = await gateway.NewTeamAsync();
        var (key, token) = await gateway.GenerateKeyAsync($"\"team_id\": \"{team}\", \"max_budget\": 0.000001");
        using var first = await gateway.ChatAsync(key, "priced-chat");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cost = Cost(first);
        Assert.True(cost > 0.000001m, $"the first call must overspend the budget, cost {cost}");
        await gateway.QuotaWhenAsync(QuotaSubjects.Key(token), s => s.Spend > 0 && s.InFlight == 0);

        using var refused = await gateway.ChatAsync(key, "priced-chat");

        await RefusedAsync(refused, "budget_exceeded", "budget");
        Assert.Equal(cost, decimal.Parse(Header(refused, "x-litellm-key-spend")!, CultureInfo.InvariantCulture));
        var admitted = Header(first, "x-litellm-call-id")!;
        await gateway.CountWhenAsync($"SELECT count(*) FROM hotdash.spend_logs WHERE request_id = '{admitted}'", 1);
        var db = gateway.Database;
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.spend_logs WHERE api_key = '{token}'"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.spend_logs WHERE request_id = '{Header(refused, "x-litellm-call-id")}'"));
        Assert.Equal(cost, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.spend_logs WHERE request_id = '{admitted}'"));
        Assert.Equal((team, "priced-chat", "success"), (
            await db.ScalarAsync<string>($"SELECT team_id FROM hotdash.spend_logs WHERE request_id = '{admitted}'"),
            await db.ScalarAsync<string>($"SELECT model_group FROM hotdash.spend_logs WHERE request_id = '{admitted}'"),
            await db.ScalarAsync<string>($"SELECT status FROM hotdash.spend_logs WHERE request_id = '{admitted}'")));
        Assert.Equal(cost, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.keys WHERE token = '{token}'"));
        Assert.Equal(cost, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.teams WHERE team_id = '{team}'"));
        await gateway.RedisStateWhenAsync(token);
    }

    [Fact]
    public async Task ChatCompletions_AdmittedPricedCalls_AreEachOneLedgerRowInPostgresWithTheCostTheyAnswered()
    {
        await using var gateway = await DurableQuotaGateway.StartAsync(output);
        if (gateway is null)
        {
            return;
        }
        var team = await gateway.NewTeamAsync("\"max_budget\": 100");
        var (key, token) = await gateway.GenerateKeyAsync($"\"team_id\": \"{team}\", \"max_budget\": 10, \"tpm_limit\": 100000, \"max_parallel_requests\": 5");
        var costs = new Dictionary<string, decimal>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync(key, "priced-chat");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            costs.Add(Header(response, "x-litellm-call-id")!, Cost(response));
        }

        await gateway.CountWhenAsync($"SELECT count(*) FROM hotdash.spend_logs WHERE api_key = '{token}'", costs.Count);

        var db = gateway.Database;
        Assert.Equal(3L, await db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.spend_logs WHERE api_key = '{token}' AND team_id = '{team}' AND status = 'success'"));
        foreach (var (callId, cost) in costs)
        {
            Assert.Equal(cost, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.spend_logs WHERE request_id = '{callId}'"));
        }
        var total = costs.Values.Sum();
        await gateway.QuotaWhenAsync(QuotaSubjects.Key(token), s => s.Spend == total && s.InFlight == 0);
        Assert.Equal(total, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.keys WHERE token = '{token}'"));
        Assert.Equal(total, await db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.teams WHERE team_id = '{team}'"));
        await gateway.RedisStateWhenAsync(token);
    }
}
