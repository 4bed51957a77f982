using System.Text.Json.Nodes;
using Bunit;
using HotDash.Dashboard.Components.Pages.Admin;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services.Admin;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

/// <summary>
/// The Teams and Keys pages against the real silo's quota grains: a refresh tick re-reads the live quota cells, and the
/// rows from the gateway stay (no second list request).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LiveQuotaTests(DashboardFixture fixture)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task TeamsPage_RefreshTick_ReReadsTheQuotaGrainAndKeepsTheRows()
    {
        var teamId = "team-live-" + Guid.NewGuid().ToString("N");
        var gateway = new RecordingHandler(HttpStatusCode.OK, new JsonArray(new JsonObject { ["team_id"] = teamId, ["team_alias"] = "live", ["spend"] = 0 }).ToJsonString());
        await using var ctx = Context(gateway);
        var cut = ctx.Render<Teams>();
        cut.WaitForAssertion(() => Assert.Contains("$0.00 this period", cut.Find("#teams tbody tr").TextContent), TimeSpan.FromSeconds(10));

        await SpendAsync(QuotaSubjects.Team(teamId), 0.25m);
        _time.Advance(Refresh);

        cut.WaitForAssertion(() => Assert.Contains("$0.25 this period", cut.Find("#teams tbody tr").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("1 req/min", cut.Find("#teams tbody tr").TextContent);
        Assert.Single(gateway.Requests);
    }

    [Fact]
    public async Task KeysPage_RefreshTick_ReReadsTheQuotaOfThePageShown()
    {
        var token = "hash-live-" + Guid.NewGuid().ToString("N");
        var keys = new JsonArray(new JsonObject { ["token"] = token, ["key_name"] = "sk-...live", ["key_alias"] = "live", ["spend"] = 0 });
        var gateway = new RecordingHandler(HttpStatusCode.OK, new JsonObject { ["keys"] = keys, ["total_count"] = 1 }.ToJsonString());
        await using var ctx = Context(gateway);
        var cut = ctx.Render<Keys>();
        cut.WaitForAssertion(() => Assert.Contains("$0.00 this period", cut.Find("#keys tbody tr").TextContent), TimeSpan.FromSeconds(10));

        await SpendAsync(QuotaSubjects.Key(token), 0.0012m);
        _time.Advance(Refresh);

        cut.WaitForAssertion(() => Assert.Contains("$0.0012 this period", cut.Find("#keys tbody tr").TextContent), TimeSpan.FromSeconds(10));
        Assert.Single(gateway.Requests);
    }

    private async Task SpendAsync(string subject, decimal cost)
    {
        var grain = fixture.Silo.Grains.GetGrain<IQuotaGrain>(subject);
        var id = Guid.NewGuid().ToString("N");
        var decision = await grain.Reserve(new QuotaRequest(id, "mock-chat", 10, cost, QuotaLimits.None));
        Assert.True(decision.Admitted, decision.ToString());
        await grain.Settle(new QuotaSettlement(id, 10, cost));
    }

    private BunitContext Context(RecordingHandler gateway)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new ManagementClient(new HttpClient(gateway) { BaseAddress = new Uri("http://127.0.0.1:4000/") }));
        ctx.Services.AddSingleton<TimeProvider>(_time);
        ctx.Services.AddSingleton(Options.Create(new HotDashDashboardOptions { RefreshInterval = Refresh }));
        // The dashboard's own Orleans client, connected to the fixture's silo.
        ctx.Services.AddSingleton(fixture.Dashboard.Services.GetRequiredService<IClusterClient>());
        ctx.Services.AddSingleton<QuotaUsageReader>();
        return ctx;
    }
}
