using Microsoft.AspNetCore.Components;
using System.Text.Json.Nodes;
using Bunit;
using HotDash.Dashboard.Components.Pages.Admin;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

public sealed class KeyPagingTests
{
    [Fact]
    public void KeyListRequest_Query_PageSizeAndFiltersInLiteLlmNames()
    {
        var query = new KeyListRequest(3, 50) { TeamId = " team-1 ", UserId = "", KeyAlias = "ci" }.Query();

        Assert.Equal(
            [("return_full_object", "true"), ("page", "3"), ("size", "50"), ("team_id", "team-1"), ("user_id", null), ("key_alias", "ci")],
            query.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void KeyListRequest_OutOfRange_ClampedToWhatTheGatewayAccepts()
    {
        var query = new KeyListRequest(0, 500).Query().ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("1", query["page"]);
        Assert.Equal("100", query["size"]);
    }

    [Fact]
    public void KeyListPage_GatewayAnswer_ReadsKeysAndCounts()
    {
        var page = KeyListPage.Parse(JsonNode.Parse("""{"keys":[{"token":"a"},{"token":"b"},"hash-only"],"total_count":52,"current_page":2,"total_pages":3}"""));

        Assert.NotNull(page);
        Assert.Equal(["a", "b"], page.Keys.Select(k => (string?)k["token"]));
        Assert.Equal((52L, 2, 3), (page.TotalCount, page.CurrentPage, page.TotalPages));
        Assert.Null(KeyListPage.Parse(JsonNode.Parse("""{"error":{"message":"no"}}""")));
        Assert.Null(KeyListPage.Parse(null));
    }

    [Fact]
    public async Task ManagementClient_ListKeys_SendsThePageAsQueryString()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"keys":[],"total_count":0}""");
        var client = new ManagementClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:4000/") });

        var result = await client.ListKeysAsync(new KeyListRequest(2, 10) { UserId = "u 1" });

        Assert.True(result.Ok);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/key/list?return_full_object=true&page=2&size=10&user_id=u%201", request.Path);
    }

    [Fact]
    public async Task KeysPage_Opened_AsksForTheFirstPageAndShowsTheTotal()
    {
        await using var ctx = Context(out var gateway, total: 60, onPage: 25);

        var cut = ctx.Render<Keys>();

        cut.WaitForAssertion(() => Assert.Contains("60 keys", cut.Find("#keys-total").TextContent));
        var request = Assert.Single(gateway.Requests);
        Assert.Equal("/key/list?return_full_object=true&page=1&size=25", request.Path);
        Assert.Equal(25, cut.FindAll("#keys tbody tr").Count);
        // The cluster is not needed to page keys: their live quota just says so.
        Assert.Contains("unavailable", cut.Find("#keys tbody tr").TextContent);
    }

    [Fact]
    public async Task KeysPage_OpenedWithUserIdInTheLink_AsksForThatUsersKeysFirst()
    {
        await using var ctx = Context(out var gateway, total: 2, onPage: 2);
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("admin/keys?user_id=alice%40example.com");

        var cut = ctx.Render<Keys>();

        cut.WaitForAssertion(() => Assert.Contains("2 keys match", cut.Find("#keys-total").TextContent));
        var request = Assert.Single(gateway.Requests);
        Assert.Equal("/key/list?return_full_object=true&page=1&size=25&user_id=alice%40example.com", request.Path);
        Assert.Equal("alice@example.com", cut.Find("#filter_user_id").GetAttribute("value"));
    }

    [Fact]
    public async Task KeysPage_NextPage_AsksTheGatewayForPageTwo()
    {
        await using var ctx = Context(out var gateway, total: 60, onPage: 25);
        var cut = ctx.Render<Keys>();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));

        await cut.InvokeAsync(() => cut.FindComponent<MudTable<JsonObject>>().Instance.NavigateTo(Page.Next));

        cut.WaitForAssertion(() => Assert.Equal(2, gateway.Requests.Count));
        Assert.Equal("/key/list?return_full_object=true&page=2&size=25", gateway.Requests[1].Path);
    }

    [Fact]
    public async Task KeysPage_PageSizeChanged_AsksForThatSize()
    {
        await using var ctx = Context(out var gateway, total: 60, onPage: 25);
        var cut = ctx.Render<Keys>();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));

        await cut.InvokeAsync(() => cut.FindComponent<MudTable<JsonObject>>().Instance.SetRowsPerPage(50));

        cut.WaitForAssertion(() => Assert.Contains(gateway.Requests, r => r.Path == "/key/list?return_full_object=true&page=1&size=50"));
    }

    [Fact]
    public async Task KeysPage_FiltersApplied_SendsThemFromPageOne()
    {
        await using var ctx = Context(out var gateway, total: 3, onPage: 3);
        var cut = ctx.Render<Keys>();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));

        cut.Find("#filter_team_id").Change("team-a");
        cut.Find("#filter_key_alias").Change("ci bot");
        cut.Find("#apply-key-filters").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, gateway.Requests.Count));
        Assert.Equal("/key/list?return_full_object=true&page=1&size=25&team_id=team-a&key_alias=ci%20bot", gateway.Requests[1].Path);
        Assert.Contains("3 keys match", cut.Find("#keys-total").TextContent);
    }

    [Fact]
    public async Task KeysPage_GatewayRefuses_ShowsItsMessageAndAnEmptyTable()
    {
        var handler = new RecordingHandler(HttpStatusCode.Unauthorized, """{"error":{"message":"Authentication Error, invalid master key","type":"auth_error"}}""");
        await using var ctx = Context(handler);

        var cut = ctx.Render<Keys>();

        cut.WaitForAssertion(() => Assert.Contains("invalid master key", cut.Find("#keys-error").TextContent));
        Assert.Empty(cut.FindAll("#keys-total"));
    }

    private static BunitContext Context(out RecordingHandler gateway, int total, int onPage)
    {
        var keys = new JsonArray([.. Enumerable.Range(0, onPage).Select(i => (JsonNode)new JsonObject
        {
            ["token"] = $"hash-{i}",
            ["key_name"] = $"sk-...{i:0000}",
            ["key_alias"] = $"key-{i}",
            ["spend"] = 0.5,
        })]);
        gateway = new RecordingHandler(HttpStatusCode.OK, new JsonObject { ["keys"] = keys, ["total_count"] = total, ["current_page"] = 1, ["total_pages"] = (total + 24) / 25 }.ToJsonString());
        return Context(gateway);
    }

    private static BunitContext Context(RecordingHandler gateway)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var http = new HttpClient(gateway) { BaseAddress = new Uri("http://127.0.0.1:4000/") };
        ctx.Services.AddSingleton(new ManagementClient(http));
        ctx.Services.AddSingleton(TimeProvider.System);
        ctx.Services.AddSingleton(Options.Create(new HotDashDashboardOptions { ClusterCallTimeout = TimeSpan.FromMilliseconds(200) }));
        ctx.Services.AddSingleton<IClusterClient>(new UnreachableClusterClient());
        ctx.Services.AddSingleton<QuotaUsageReader>();
        return ctx;
    }
}
