using System.Text;
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

/// <summary>The Admin/Users page: a server-paged table over <c>/user/list</c>, search, and a user opened with its keys.</summary>
public sealed class UsersPageTests
{
    private const string Page = """
        {"users": [
            {"user_id": "u-ann", "user_email": "ann@example.com", "user_role": "internal_user", "teams": ["team-a", "team-b"],
             "spend": 1234.5, "max_budget": 2000, "budget_duration": "30d", "tpm_limit": 100000, "rpm_limit": 60, "max_parallel_requests": null, "key_count": 3},
            {"user_id": "u-bob", "user_email": null, "user_role": "proxy_admin", "teams": [], "spend": 0.0012, "max_budget": null, "key_count": 0}],
         "total": 52, "page": 1, "page_size": 25, "total_pages": 3}
        """;

    [Fact]
    public void UserListRequest_Query_PageSizeAndFiltersInLiteLlmNames()
    {
        var query = new UserListRequest(0, 500) { UserIds = " u-1,u-2 ", Role = "", TeamId = "team-a" }.Query();

        Assert.Equal([("page", "1"), ("page_size", "100"), ("user_ids", "u-1,u-2"), ("role", null), ("team", "team-a")], query.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void UserListPage_GatewayAnswer_ReadsUsersAndCounts()
    {
        var page = UserListPage.Parse(JsonNode.Parse(Page));

        Assert.NotNull(page);
        Assert.Equal(["u-ann", "u-bob"], page.Users.Select(u => (string?)u["user_id"]));
        Assert.Equal((52L, 1, 3), (page.Total, page.Page, page.TotalPages));
        Assert.Null(UserListPage.Parse(JsonNode.Parse("""{"error":{"message":"no"}}""")));
    }

    [Fact]
    public async Task UsersPage_Opened_AsksForTheFirstPageAndShowsUsersForPeople()
    {
        var gateway = new RoutedHandler();
        await using var ctx = Context(gateway);

        var cut = ctx.Render<Users>();

        cut.WaitForAssertion(() => Assert.Contains("52 users", cut.Find("#users-total").TextContent));
        Assert.Equal("/user/list?page=1&page_size=25", Assert.Single(gateway.Requests));
        var rows = cut.FindAll("#users tbody tr");
        Assert.Equal(2, rows.Count);
        var ann = rows[0].TextContent;
        Assert.Contains("ann@example.com", ann);
        Assert.Contains("team-a, team-b", ann);
        Assert.Contains("$1,234.50", ann);
        Assert.Contains("$2,000.00 / 30d", ann);
        Assert.Contains("100,000 / 60 / –", ann);
        Assert.Contains("$0.0012", rows[1].TextContent);
        Assert.Contains("unlimited", rows[1].TextContent);
        // LiteLLM has no user block: the page says how to stop a user instead.
        Assert.Contains("no block", cut.Find("#users-help").TextContent);
    }

    [Fact]
    public async Task UsersPage_Search_SendsTheFiltersFromPageOne()
    {
        var gateway = new RoutedHandler();
        await using var ctx = Context(gateway);
        var cut = ctx.Render<Users>();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));

        cut.Find("#filter_user_ids").Change("u-ann, u-bob");
        cut.Find("#filter_team").Change("team-a");
        cut.Find("#apply-user-filters").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, gateway.Requests.Count));
        Assert.Equal("/user/list?page=1&page_size=25&user_ids=u-ann%2C%20u-bob&team=team-a", gateway.Requests[1]);
        Assert.Contains("52 users match", cut.Find("#users-total").TextContent);
    }

    [Fact]
    public async Task UsersPage_NextPage_AsksTheGatewayForPageTwo()
    {
        var gateway = new RoutedHandler();
        await using var ctx = Context(gateway);
        var cut = ctx.Render<Users>();
        cut.WaitForAssertion(() => Assert.Single(gateway.Requests));

        await cut.InvokeAsync(() => cut.FindComponent<MudTable<JsonObject>>().Instance.NavigateTo(MudBlazor.Page.Next));

        cut.WaitForAssertion(() => Assert.Equal(2, gateway.Requests.Count));
        Assert.Equal("/user/list?page=2&page_size=25", gateway.Requests[1]);
    }

    [Fact]
    public async Task UsersPage_EditRow_OpensTheUserWithItsKeys()
    {
        var gateway = new RoutedHandler();
        await using var ctx = Context(gateway);
        var cut = ctx.Render<Users>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#users tbody tr").Count));

        cut.FindAll("#users tbody tr")[0].QuerySelectorAll("button").First(b => b.TextContent.Contains("Edit")).Click();

        cut.WaitForAssertion(() => Assert.Contains("/user/info?user_id=u-ann", gateway.Requests));
        cut.WaitForAssertion(() => Assert.Contains("ann-ci", cut.Find("#user-keys").TextContent));
        Assert.Contains("blocked", cut.Find("#user-keys").TextContent);
        Assert.Equal("ann@example.com", cut.Find("#user_email").GetAttribute("value"));
    }

    [Fact]
    public async Task UsersPage_GatewayRefuses_ShowsItsMessage()
    {
        var gateway = new RoutedHandler(HttpStatusCode.BadRequest, """{"error":{"message":"page_size must be a whole number from 1 to 100","param":"page_size"}}""");
        await using var ctx = Context(gateway);

        var cut = ctx.Render<Users>();

        cut.WaitForAssertion(() => Assert.Contains("page_size must be", cut.Find("#form-error").TextContent));
        Assert.Empty(cut.FindAll("#users-total"));
    }

    private static BunitContext Context(RoutedHandler gateway)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new ManagementClient(new HttpClient(gateway) { BaseAddress = new Uri("http://127.0.0.1:4000/") }));
        ctx.Services.AddSingleton(TimeProvider.System);
        ctx.Services.AddSingleton(Options.Create(new HotDashDashboardOptions { ClusterCallTimeout = TimeSpan.FromMilliseconds(200) }));
        ctx.Services.AddSingleton<IClusterClient>(new UnreachableClusterClient());
        ctx.Services.AddSingleton<QuotaUsageReader>();
        return ctx;
    }

    /// <summary>Stands in for the gateway's HTTP API: <c>/user/list</c> answers the page, <c>/user/info</c> ann with her keys.</summary>
    private sealed class RoutedHandler(HttpStatusCode status = HttpStatusCode.OK, string? list = null) : HttpMessageHandler
    {
        private const string Info = """
            {"user_id": "u-ann", "user_info": {"user_id": "u-ann", "user_email": "ann@example.com", "user_role": "internal_user", "spend": 1234.5},
             "keys": [{"token": "h1", "key_alias": "ann-ci", "key_name": "sk-...abcd", "spend": 2, "blocked": true}], "teams": []}
            """;

        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery;
            lock (Requests)
            {
                Requests.Add(path);
            }
            var (code, json) = path.StartsWith("/user/info", StringComparison.Ordinal) ? (HttpStatusCode.OK, Info) : (status, list ?? Page);
            return Task.FromResult(new HttpResponseMessage(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }
}
