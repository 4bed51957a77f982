using System.Globalization;
using HotDash.Api.Spend;
using HotDash.Api.Tests.Quotas;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace HotDash.Api.Tests.Spend;

/// <summary>Every completed request becomes one ledger row, shipped off the request path, with its key, team, user and model.</summary>
public sealed class SpendLedgerTests(QuotaGatewayFixture fixture) : IClassFixture<QuotaGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    private IRegistryGrain Registry => fixture.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    private async Task<IReadOnlyList<SpendRow>> LedgerWhenAsync(SpendLogQuery query, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await Registry.GetSpendLogs(query);
            if (rows.Length >= count)
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the ledger has {rows.Length} of {count} rows");
            await Task.Delay(50);
        }
    }

    private static string CallId(HttpResponseMessage response) => TestRegistry.Header(response, "x-litellm-call-id")!;

    [Fact]
    public async Task Requests_WithATeamKey_ReachTheLedgerOnceEachWithTeamUserAndModel()
    {
        var user = await registry.CreateUserAsync();
        var team = await registry.CreateTeamAsync();
        var key = await registry.CreateKeyAsync(k => k with { TeamId = team, UserId = user });
        using var client = fixture.CreateAnonymousClient();
        var callIds = new Dictionary<string, string>();
        using (var chat = await registry.ChatAsync(key, "quota-chat", ""","user":"end-user-7" """))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            callIds[CallId(chat)] = "acompletion";
        }
        using (var completion = await client.SendAsync(TestRegistry.Post(key, "/v1/completions", """{"model":"quota-chat","prompt":"complete me","user":"end-user-7"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
            callIds[CallId(completion)] = "atext_completion";
        }
        using (var embedding = await client.SendAsync(TestRegistry.Post(key, "/v1/embeddings", """{"model":"quota-embedding","input":"embed me","user":"end-user-7"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, embedding.StatusCode);
            callIds[CallId(embedding)] = "aembedding";
        }

        var rows = await LedgerWhenAsync(new SpendLogQuery(TestRegistry.Hash(key), null, null, null, null, null, 100), 3);

        Assert.Equal(3, rows.Count);
        Assert.Equal(callIds.Keys.Order(), rows.Select(r => r.RequestId).Order());
        foreach (var row in rows)
        {
            Assert.Equal(TestRegistry.Hash(key), row.KeyHash);
            Assert.Equal(team, row.TeamId);
            Assert.Equal(user, row.UserId);
            Assert.Equal("end-user-7", row.EndUser);
            Assert.Equal(callIds[row.RequestId], row.CallType);
            Assert.True(row.Success);
            Assert.True(row.PromptTokens > 0);
            Assert.True(row.EndTime >= row.StartTime);
        }
        var chatRow = rows.Single(r => r.CallType == "acompletion");
        Assert.Equal("mock/quota-chat", chatRow.Model);
        Assert.Equal("quota-chat", chatRow.ModelGroup);
        Assert.Equal("quota-chat-id", chatRow.DeploymentId);
        Assert.True(chatRow.CompletionTokens > 0);
        Assert.Equal("quota-embedding-id", rows.Single(r => r.CallType == "aembedding").DeploymentId);
    }

    [Fact]
    public async Task ChatCompletions_PricedModel_LedgerSpendIsTheResponseCost()
    {
        var key = await registry.CreateKeyAsync();
        using var response = await registry.ChatAsync(key, "priced-chat");
        var cost = decimal.Parse(TestRegistry.Header(response, "x-litellm-response-cost")!, CultureInfo.InvariantCulture);

        var row = Assert.Single(await LedgerWhenAsync(new SpendLogQuery(null, null, null, CallId(response), null, null, 10), 1));

        Assert.Equal(cost, row.Spend);
        Assert.Equal("priced-chat-id", row.DeploymentId);
    }

    [Fact]
    public async Task ChatCompletions_MasterKey_IsInTheLedgerWithAnEmptyKeyHash()
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":"quota-chat","messages":[{"role":"user","content":"master spend"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = Assert.Single(await LedgerWhenAsync(new SpendLogQuery(null, null, null, CallId(response), null, null, 10), 1));

        Assert.Equal("", row.KeyHash);
        Assert.Null(row.TeamId);
        Assert.True(row.Success);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamFailure_IsALedgerRowMarkedFailed()
    {
        var key = await registry.CreateKeyAsync();
        using var response = await registry.ChatAsync(key, "failing-chat");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var row = Assert.Single(await LedgerWhenAsync(new SpendLogQuery(null, null, null, CallId(response), null, null, 10), 1));

        Assert.False(row.Success);
        Assert.Equal(0m, row.Spend);
        Assert.Equal("failing-chat-id", row.DeploymentId);
    }

    [Fact]
    public async Task Requests_RefusedBeforeRouting_AreNotInTheLedger()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 1 } });
        using var admitted = await registry.ChatAsync(key);
        using var refused = await registry.ChatAsync(key);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        await LedgerWhenAsync(new SpendLogQuery(null, null, null, CallId(admitted), null, null, 10), 1);

        Assert.Empty(await Registry.GetSpendLogs(new SpendLogQuery(null, null, null, CallId(refused), null, null, 10)));
        var shipper = fixture.Services.GetRequiredService<SpendShipper>();
        Assert.Equal(0, shipper.Dropped);
    }

    [Fact]
    public async Task HealthReadiness_AfterShippedRequests_ReportsTheSpendQueue()
    {
        using (var response = await fixture.Client.PostAsync("/v1/chat/completions", JsonBody.Of("""{"model":"quota-chat","messages":[{"role":"user","content":"count me"}]}""")))
        {
            await LedgerWhenAsync(new SpendLogQuery(null, null, null, CallId(response), null, null, 10), 1);
        }

        JsonElement queue;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            // The ledger has the row a moment before the shipper has counted its acknowledgement.
            using var readiness = await fixture.Client.GetAsync("/health/readiness");
            queue = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync()).RootElement.GetProperty("spend_queue").Clone();
            Assert.True(DateTime.UtcNow < deadline, $"the shipper never counted a written row: {queue}");
        }
        while (queue.GetProperty("written").GetInt64() < 1);

        Assert.Equal(0, queue.GetProperty("dropped").GetInt64());
        Assert.Equal(JsonValueKind.Number, queue.GetProperty("pending").ValueKind);
    }
}
