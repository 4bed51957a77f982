using System.Globalization;
using HotDash.Grains;

namespace HotDash.Api.Tests.Quotas;

/// <summary>Budgets: a request is admitted while spend is below max_budget, and the real cost is settled after it.</summary>
public sealed class BudgetTests(QuotaGatewayFixture fixture) : IClassFixture<QuotaGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    [Fact]
    public async Task ChatCompletions_TinyBudgetOnAPricedModel_IsBudgetExceededOnceTheFirstCostIsSettled()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { MaxBudget = 0.000001m } });
        using var first = await registry.ChatAsync(key, "priced-chat");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cost = decimal.Parse(TestRegistry.Header(first, "x-litellm-response-cost")!, CultureInfo.InvariantCulture);
        Assert.True(cost > 0.000001m);
        await registry.KeyQuotaWhenAsync(key, s => s.Spend > 0 && s.InFlight == 0);

        using var refused = await registry.ChatAsync(key, "priced-chat");

        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, text);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("budget", error.GetProperty("rate_limit_type").GetString());
        Assert.Equal(cost, decimal.Parse(TestRegistry.Header(refused, "x-litellm-key-spend")!, CultureInfo.InvariantCulture));
        Assert.Null(TestRegistry.Header(refused, "retry-after")); // a budget without budget_duration never resets
    }

    [Fact]
    public async Task ChatCompletions_AfterASettledCall_ReportTheKeysSpendInTheNextAnswer()
    {
        var key = await registry.CreateKeyAsync();
        using var first = await registry.ChatAsync(key, "priced-chat");
        var cost = decimal.Parse(TestRegistry.Header(first, "x-litellm-response-cost")!, CultureInfo.InvariantCulture);
        await registry.KeyQuotaWhenAsync(key, s => s.Spend > 0);

        using var second = await registry.ChatAsync(key, "priced-chat");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(cost, decimal.Parse(TestRegistry.Header(second, "x-litellm-key-spend")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ChatCompletions_TeamBudgetSpentByOneKey_RefusesAnotherKeyOfTheTeam()
    {
        var team = await registry.CreateTeamAsync(t => t with { Limits = QuotaLimits.None with { MaxBudget = 0.000001m } });
        var spender = await registry.CreateKeyAsync(k => k with { TeamId = team });
        var other = await registry.CreateKeyAsync(k => k with { TeamId = team });
        using (var first = await registry.ChatAsync(spender, "priced-chat"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await registry.KeyQuotaWhenAsync(spender, s => s.Spend > 0);
        var teamQuota = fixture.Grains.GetGrain<IQuotaGrain>(QuotaSubjects.Team(team));
        for (var i = 0; (await teamQuota.GetStatus()).Spend == 0; i++)
        {
            Assert.True(i < 1500, "the team's spend was never settled");
            await Task.Delay(20);
        }

        using var refused = await registry.ChatAsync(other, "priced-chat");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("budget_exceeded", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }
}
