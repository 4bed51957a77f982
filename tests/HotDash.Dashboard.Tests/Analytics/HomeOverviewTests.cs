using Bunit;
using Bunit.TestDoubles;
using HotDash.Dashboard.Components.Pages;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services;
using HotDash.Dashboard.Services.Analytics;
using HotDash.Dashboard.Services.Traces;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static HotDash.Dashboard.Tests.Analytics.FakeUsageReads;

namespace HotDash.Dashboard.Tests.Analytics;

public sealed class HomeOverviewTests : IAsyncLifetime
{
    // Composed, not inherited: MudBlazor's services dispose only asynchronously, and xunit disposes a test class synchronously.
    private readonly BunitContext _ctx = new();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 30, TimeSpan.Zero);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly FakeUsageReads _reads = new();
    private readonly FakeTimeProvider _time = new(Now);

    private void Setup(string yaml = UsageOverviewServiceTests.Yaml)
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var services = _ctx.Services;
        services.AddMudServices();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var options = Options.Create(new HotDashDashboardOptions { RefreshInterval = Refresh });
        services.AddSingleton(options);
        services.AddSingleton(HotDashConfigLoader.FromYaml(yaml, null, _ => null));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IUsageReads>(_reads);
        services.AddSingleton<UsageOverviewService>();
        // No silo: the cluster chip says so (the real service over a client whose every call fails).
        var connection = new ClusterConnection(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<ClusterConnection>.Instance);
        services.AddSingleton(new ClusterStatusService(NoCluster.Create(), connection, options, _time, NullLogger<ClusterStatusService>.Instance));
    }

    private IRenderedComponent<Home> RenderHome()
    {
        var page = _ctx.Render<Home>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#loading")));
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static UsageTotals Busy => Totals(12_345, errors: 185, input: 1_234_567, output: 89_012, cost: 1234.5m, cacheHits: 2_469,
        p50: 850, p95: 1_240, p99: 65_000);

    [Fact]
    public void Home_NoRequests_ShowsTheEmptyStateWithTheGatewayUrl()
    {
        Setup();

        var page = RenderHome();

        Assert.Contains("No requests yet: send one to http://localhost:4000/v1/chat/completions", page.Find("#empty-state").TextContent);
        Assert.Empty(page.FindAll("#stat-requests"));
        Assert.Empty(page.FindAll("#top-users"));
    }

    [Fact]
    public void Home_NoRequestsGatewayUrlConfigured_EmptyStateNamesIt()
    {
        Setup(UsageOverviewServiceTests.Yaml + "\nhotdash:\n  gateway_url: https://llm.example.com/\n");

        var page = RenderHome();

        Assert.Contains("send one to https://llm.example.com/v1/chat/completions", page.Find("#empty-state").TextContent);
    }

    [Fact]
    public void Home_Requests_CardsWriteNumbersForPeople()
    {
        Setup();
        _reads.Rollup = s => s == RollupSubjects.All ? Series(Busy) : UsageSeries.Empty;

        var page = RenderHome();

        Assert.Contains("12,345", page.Find("#stat-requests").TextContent);
        var errors = page.Find("#stat-errors").TextContent;
        Assert.Contains("185", errors);
        Assert.Contains("1.5% of requests", errors);
        var tokens = page.Find("#stat-tokens").TextContent;
        Assert.Contains("1,323,579", tokens);
        Assert.Contains("1,234,567 in · 89,012 out", tokens);
        Assert.Contains("$1,234.50", page.Find("#stat-cost").TextContent);
        Assert.Contains("20%", page.Find("#stat-cache").TextContent);
        Assert.Contains("2,469 hits", page.Find("#stat-cache").TextContent);
        var latency = page.Find("#stat-latency").TextContent;
        Assert.Contains("850 ms", latency);
        Assert.Contains("p95 1.24 s · p99 1 min 5 s", latency);
        Assert.Empty(page.FindAll("#empty-state"));
        Assert.NotNull(page.Find("#chart-requests"));
        Assert.NotNull(page.Find("#chart-latency"));
    }

    [Fact]
    public void Home_StoreFails_TopListsShowTheErrorLiveTotalsStay()
    {
        Setup();
        _reads.Overview = _ => throw new InvalidOperationException("ClickHouse: connection refused");
        _reads.Rollup = s => s == RollupSubjects.All ? Series(Busy) : UsageSeries.Empty;

        var page = RenderHome();

        Assert.Contains("Could not read top users by cost: analytics store: ClickHouse: connection refused", page.Find("#top-users").TextContent);
        Assert.Contains("Could not read top keys by cost", page.Find("#top-keys").TextContent);
        Assert.Contains("12,345", page.Find("#stat-requests").TextContent);
        Assert.Contains("analytics store: ClickHouse: connection refused", page.Find("#series-warning").TextContent);
    }

    [Fact]
    public void Home_EverySourceFails_TotalsPanelShowsTheErrorPageStays()
    {
        Setup();
        _reads.Overview = _ => throw new InvalidOperationException("store down");
        _reads.Rollup = _ => throw new TimeoutException();

        var page = RenderHome();

        Assert.Equal("Could not read the totals: live rollups: no answer in time; analytics store: store down", page.Find("#series-error").TextContent.Trim());
        Assert.Contains("Could not read by model", page.Find("#by-model").TextContent);
        Assert.Empty(page.FindAll("#empty-state"));
        Assert.NotNull(page.Find("#range-picker"));
    }

    [Fact]
    public void Home_Breakdowns_RowsPerModelAndTeamUserRowsLinkToTheirTraces()
    {
        Setup();
        _reads.Overview = _ => EmptyOverview with
        {
            Series = Series(Totals(5)),
            ByTeam = [new UsageGroup("team-a", Totals(3)), new UsageGroup("", Totals(2))],
            TopUsers = [new UsageGroup("alice", Totals(2, cost: 0.0042m))],
            TopKeys = [new UsageGroup("ci-key", Totals(5, cost: 1.5m))],
        };
        _reads.Rollup = s => s == RollupSubjects.Model("gpt-4o") ? Series(Totals(5, input: 1000, output: 234, cost: 1.5m, p95: 420)) : UsageSeries.Empty;

        var page = RenderHome();

        var model = page.Find("#by-model").TextContent;
        Assert.Contains("gpt-4o", model);
        Assert.Contains("1,234", model);
        Assert.Contains("420 ms", model);
        Assert.Contains("live", model);
        var team = page.Find("#by-team").TextContent;
        Assert.Contains("team-a", team);
        Assert.Contains("(none)", team);
        var link = page.Find("#top-users a");
        Assert.Equal(TraceFilter.Link(userId: "alice"), link.GetAttribute("href"));
        Assert.Contains("$0.0042", page.Find("#top-users").TextContent);
        Assert.Contains("$1.50", page.Find("#top-keys").TextContent);
    }

    [Fact]
    public void Home_ByTeam_ShowsTheTeamsAliasWithTheIdInTheTooltip()
    {
        Setup();
        _reads.Overview = _ => EmptyOverview with
        {
            Series = Series(Totals(5)),
            ByTeam = [new UsageGroup("team-a", Totals(3)), new UsageGroup("team-b", Totals(2))],
        };
        _reads.Aliases = () => new Dictionary<string, string> { ["team-a"] = "Search squad" };

        var page = RenderHome();

        var links = page.FindAll("#by-team a");
        var aliased = Assert.Single(links, a => a.TextContent == "Search squad");
        Assert.Equal("team-a", aliased.GetAttribute("title"));
        Assert.Contains(links, a => a.TextContent == "team-b");
    }

    [Fact]
    public void Home_BreakdownRows_LinkToTheTracesOfTheirModelTeamAndKey()
    {
        Setup();
        _reads.Overview = _ => EmptyOverview with
        {
            Series = Series(Totals(5)),
            ByTeam = [new UsageGroup("team-a", Totals(3)), new UsageGroup("", Totals(2))],
            TopKeys = [new UsageGroup("ci-key", Totals(5, cost: 1.5m))],
        };
        _reads.Rollup = s => s == RollupSubjects.Model("gpt-4o") ? Series(Totals(5)) : UsageSeries.Empty;

        var page = RenderHome();

        Assert.Equal((TraceFilter.Everything with { Model = "gpt-4o" }).Href, page.Find("#by-model a").GetAttribute("href"));
        // The "(none)" team row has nothing to filter on: only team-a links.
        var teamLink = Assert.Single(page.FindAll("#by-team a"));
        Assert.Equal((TraceFilter.Everything with { TeamId = "team-a" }).Href, teamLink.GetAttribute("href"));
        Assert.Equal((TraceFilter.Everything with { KeyAlias = "ci-key" }).Href, page.Find("#top-keys a").GetAttribute("href"));
    }

    [Fact]
    public void Home_RangeButton_QueriesTheNewWindowFromTheStoreOnly()
    {
        Setup();
        var page = RenderHome();
        _reads.Summaries.Clear();

        page.Find("#range-last7days").Click();

        page.WaitForAssertion(() => Assert.Equal(2, _reads.OverviewQueries.Count));
        var query = _reads.OverviewQueries.Last();
        var expected = new UsageRange(TimeRange.Last7Days).ToWindow(Now);
        Assert.Equal((expected.FromMs, expected.ToMs, TimeSpan.FromHours(2).TotalMilliseconds), (query.FromMs, query.ToMs, (double)query.BucketMs));
        Assert.Empty(_reads.Summaries);
        Assert.Equal("true", page.Find("#range-last7days").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Home_RangePicked_WrittenToTheAddressInPlace()
    {
        Setup();
        var nav = _ctx.Services.GetRequiredService<BunitNavigationManager>();
        nav.NavigateTo("/?project=p-1");
        var page = RenderHome();

        page.Find("#range-last7days").Click();

        page.WaitForAssertion(() => Assert.Equal(2, _reads.OverviewQueries.Count));
        var uri = new Uri(nav.Uri);
        Assert.Contains("range=last7days", uri.Query);
        Assert.Contains("project=p-1", uri.Query);
        Assert.True(nav.History.First().Options.ReplaceHistoryEntry);
    }

    [Fact]
    public void Home_CustomRangePicked_FromAndToInTheAddress()
    {
        Setup();
        var nav = _ctx.Services.GetRequiredService<BunitNavigationManager>();
        var page = RenderHome();

        page.Find("#range-custom").Click();
        page.Find("#range-apply").Click();

        page.WaitForAssertion(() => Assert.Contains("range=custom", nav.Uri));
        var query = new Uri(nav.Uri).Query;
        // The pickers start from the last 24 hours to the next whole hour.
        Assert.Contains("from=2026-11-30T12%3A00%3A00Z", query);
        Assert.Contains("to=2026-12-01T13%3A00%3A00Z", query);
    }

    [Fact]
    public void Home_AddressWithRange_ReadsThatRange()
    {
        Setup();
        _ctx.Services.GetRequiredService<BunitNavigationManager>().NavigateTo("/?range=custom&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z");

        RenderHome();

        var query = Assert.Single(_reads.OverviewQueries);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), query.FromMs);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), query.ToMs);
    }

    [Fact]
    public void Home_OpenedForAProject_BreakdownLinksKeepTheProject()
    {
        Setup();
        _ctx.Services.GetRequiredService<BunitNavigationManager>().NavigateTo("/?project=p%201");
        _reads.Overview = _ => EmptyOverview with
        {
            Series = Series(Totals(5)),
            TopUsers = [new UsageGroup("alice", Totals(2, cost: 0.0042m))],
            TopKeys = [new UsageGroup("ci-key", Totals(5, cost: 1.5m))],
        };

        var page = RenderHome();

        Assert.Equal(TraceFilter.Link(userId: "alice") + "&project=p%201", page.Find("#top-users a").GetAttribute("href"));
        Assert.Equal((TraceFilter.Everything with { KeyAlias = "ci-key" }).Href + "&project=p%201", page.Find("#top-keys a").GetAttribute("href"));
    }

    [Fact]
    public void Home_RefreshIntervalElapses_ReadsTheRollupsAgainAndTheStoreOnceItsAnswerIsOld()
    {
        Setup();
        var page = RenderHome();
        Assert.Single(_reads.OverviewQueries);
        _reads.Rollup = s => s == RollupSubjects.All ? Series(Totals(7)) : UsageSeries.Empty;

        _time.Advance(Refresh);

        // The live numbers move at once; the store's answer for the last 24 h (15-minute buckets) is reused for 30 s.
        page.WaitForAssertion(() => Assert.Contains("7", page.Find("#stat-requests").TextContent));
        Assert.Single(_reads.OverviewQueries);
        var reuse = TimeSpan.FromMilliseconds(UsageOverviewService.StoreReuseMs(UsageWindow.Create(Now.AddDays(-1).ToUnixTimeMilliseconds(), Now.ToUnixTimeMilliseconds(), Now.ToUnixTimeMilliseconds())));
        Assert.Equal(TimeSpan.FromSeconds(30), reuse);
        for (var waited = Refresh; waited <= reuse; waited += Refresh)
        {
            _time.Advance(Refresh);
        }
        page.WaitForAssertion(() => Assert.Equal(2, _reads.OverviewQueries.Count));
    }

    [Fact]
    public void Home_SlowStore_ShowsTheProgressBarUntilItAnswers()
    {
        Setup();
        _reads.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var page = _ctx.Render<Home>();

        Assert.NotNull(page.Find("#loading"));
        _reads.Hold.SetResult();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#loading")));
        Assert.NotNull(page.Find("#empty-state"));
    }

    [Fact]
    public void Home_NoSilo_ClusterChipSaysUnreachableAndLinksTheClusterPage()
    {
        Setup();

        var chip = RenderHome().Find("#cluster-chip");

        Assert.Contains("cluster unreachable", chip.TextContent);
        Assert.Equal("cluster", chip.GetAttribute("href"));
    }
}
