using HotDash.Dashboard.Services.Analytics;
using HotDash.Dashboard.Services.Traces;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static HotDash.Dashboard.Tests.Analytics.FakeUsageReads;

namespace HotDash.Dashboard.Tests.Analytics;

public sealed class UsageOverviewServiceTests
{
    internal const string Yaml = """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
          - model_name: gpt-4o
            litellm_params:
              model: azure/gpt-4o
          - model_name: claude
            litellm_params:
              model: anthropic/claude-3-5-sonnet
        """;

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 30, TimeSpan.Zero);

    private readonly FakeUsageReads _reads = new();

    private UsageOverviewService Service() =>
        new(_reads, HotDashConfigLoader.FromYaml(Yaml, null, _ => null), new FakeTimeProvider(Now), NullLogger<UsageOverviewService>.Instance);

    [Fact]
    public async Task LoadAsync_LiveWindow_AsksTheStoreAndEveryRollupSubjectOverTheWindow()
    {
        _reads.Overview = _ => EmptyOverview with { ByTeam = [new UsageGroup("team-a", Totals(3))] };
        var window = new UsageRange(TimeRange.LastHour).ToWindow(Now);

        await Service().LoadAsync("default", window, CancellationToken.None);

        var query = Assert.Single(_reads.OverviewQueries);
        Assert.Equal(("default", window.FromMs, window.ToMs, window.BucketMs), (query.ProjectId, query.FromMs, query.ToMs, query.BucketMs));
        Assert.Equal(UsageOverviewService.Top, query.Top);
        // Model groups once each (two gpt-4o deployments), the store's teams plus requests outside a team.
        Assert.Equal(
            ["all", "model:claude", "model:gpt-4o", "team:", "team:team-a"],
            _reads.Summaries.Select(s => s.Subject).Order(StringComparer.Ordinal));
        Assert.All(_reads.Summaries, s => Assert.Equal((window.FromMs, window.ToMs, window.BucketMs), (s.FromMs, s.ToMs, s.BucketMs)));
    }

    [Fact]
    public async Task LoadAsync_TeamAliases_ReadOnceAMinuteAndKeptWhenALaterReadFails()
    {
        var clock = new FakeTimeProvider(Now);
        var service = new UsageOverviewService(_reads, HotDashConfigLoader.FromYaml(Yaml, null, _ => null), clock, NullLogger<UsageOverviewService>.Instance);
        var window = new UsageRange(TimeRange.Last30Days).ToWindow(Now);
        _reads.Aliases = () => new Dictionary<string, string> { ["t1"] = "One" };

        var first = await service.LoadAsync("default", window, CancellationToken.None);
        var again = await service.LoadAsync("default", window, CancellationToken.None);
        _reads.Aliases = () => throw new HttpRequestException("gateway down");
        clock.Advance(UsageOverviewService.TeamAliasesReuse);
        var afterFailure = await service.LoadAsync("default", window, CancellationToken.None);

        Assert.Equal("One", first.TeamAliases["t1"]);
        Assert.Equal("One", again.TeamAliases["t1"]);
        Assert.Equal("One", afterFailure.TeamAliases["t1"]);
        Assert.Equal(2, _reads.AliasReads);
    }

    [Fact]
    public async Task LoadAsync_TwoTabsOnTheSameWindow_ShareOneStoreRead()
    {
        var service = Service();
        var window = new UsageRange(TimeRange.Last30Days).ToWindow(Now);

        await Task.WhenAll(service.LoadAsync("default", window, CancellationToken.None), service.LoadAsync("default", window, CancellationToken.None));

        Assert.Single(_reads.OverviewQueries);
    }

    [Fact]
    public async Task LoadAsync_StoreFailed_IsAskedAgainOnTheNextRefresh()
    {
        var service = Service();
        var window = new UsageRange(TimeRange.Last30Days).ToWindow(Now);
        _reads.Overview = _ => throw new TimeoutException();
        var failed = await service.LoadAsync("default", window, CancellationToken.None);
        _reads.Overview = _ => EmptyOverview with { Series = Series(Totals(4)) };

        var next = await service.LoadAsync("default", window, CancellationToken.None);

        Assert.True(failed.Series.Failed);
        Assert.Equal(2, _reads.OverviewQueries.Count);
        Assert.Equal(4, next.Series.Value.Totals.Requests);
    }

    [Theory]
    [InlineData(TimeRange.Last7Days, "default")]
    [InlineData(TimeRange.Last30Days, "default")]
    [InlineData(TimeRange.LastDay, "another-project")] // the rollups count the gateways' tracing project only
    public async Task LoadAsync_HistoryWindowOrOtherProject_StoreOnly(TimeRange range, string project)
    {
        _reads.Overview = _ => EmptyOverview with { Series = Series(Totals(4)) };

        var overview = await Service().LoadAsync(project, new UsageRange(range).ToWindow(Now), CancellationToken.None);

        Assert.Empty(_reads.Summaries);
        Assert.Equal(UsageSource.Store, overview.Series.Source);
        Assert.Equal(4, overview.Series.Value.Totals.Requests);
    }

    [Fact]
    public async Task LoadAsync_RollupsAheadOfTheStore_LiveTotalsAndBreakdownsStoreTopLists()
    {
        _reads.Overview = _ => new UsageOverview(
            Series(Totals(10, cost: 1m)),
            [new UsageGroup("gpt-4o", Totals(10, cost: 1m))],
            [new UsageGroup("team-a", Totals(10, cost: 1m))],
            [new UsageGroup("alice", Totals(6, cost: 0.6m))],
            [new UsageGroup("ci-key", Totals(10, cost: 1m))]);
        _reads.Rollup = subject => subject switch
        {
            "all" or "model:gpt-4o" or "team:team-a" => Series(Totals(13, cost: 1.3m)),
            _ => UsageSeries.Empty,
        };

        var overview = await Service().LoadAsync("default", new UsageRange(TimeRange.LastDay).ToWindow(Now), CancellationToken.None);

        Assert.Equal((13L, UsageSource.Live), (overview.Series.Value.Totals.Requests, overview.Series.Source));
        Assert.Equal(13, Assert.Single(overview.ByModel.Value).Totals.Requests);
        Assert.Equal(13, Assert.Single(overview.ByTeam.Value).Totals.Requests);
        Assert.Equal("alice", Assert.Single(overview.TopUsers.Value).Name);
        Assert.Equal("ci-key", Assert.Single(overview.TopKeys.Value).Name);
        Assert.False(overview.IsEmpty);
    }

    [Fact]
    public async Task LoadAsync_StoreFails_TopListsFailLiveTotalsStillShown()
    {
        _reads.Overview = _ => throw new InvalidOperationException("ClickHouse: connection refused");
        _reads.Rollup = subject => subject == "all" ? Series(Totals(2)) : UsageSeries.Empty;

        var overview = await Service().LoadAsync("default", new UsageRange(TimeRange.LastHour).ToWindow(Now), CancellationToken.None);

        Assert.Equal(2, overview.Series.Value.Totals.Requests);
        Assert.Equal("analytics store: ClickHouse: connection refused", overview.Series.Error);
        Assert.True(overview.TopUsers.Failed);
        Assert.True(overview.TopKeys.Failed);
        Assert.Equal("analytics store: ClickHouse: connection refused", overview.TopUsers.Error);
        // Without the store's team list only requests outside a team are asked.
        Assert.Contains(_reads.Summaries, s => s.Subject == "team:");
        Assert.False(overview.IsEmpty);
    }

    [Fact]
    public async Task LoadAsync_NoRequestsAnywhere_IsEmpty()
    {
        var overview = await Service().LoadAsync("default", new UsageRange(TimeRange.LastDay).ToWindow(Now), CancellationToken.None);

        Assert.True(overview.IsEmpty);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), overview.TakenAtMs);
    }

    [Fact]
    public void UsageDashboard_JsonRoundTrip_KeepsEveryPanel()
    {
        // [PersistentState] carries the overview from the prerender to the circuit as JSON (web defaults).
        var window = new UsageRange(TimeRange.LastHour).ToWindow(Now);
        var dashboard = new UsageDashboard(
            window,
            new UsagePanel<UsageSeries>(Series(Totals(3, 1, 10, 20, 0.5m, 1, 100, 200, 300), new UsageBucket(window.FirstBucketMs, Totals(3))), UsageSource.Live, null),
            new UsagePanel<System.Collections.Immutable.ImmutableArray<UsageGroup>>([new UsageGroup("gpt-4o", Totals(3))], UsageSource.Mixed, "live rollups of x: y"),
            new([], UsageSource.None, "analytics store: down"),
            new([new UsageGroup("alice", Totals(1, cost: 0.25m))], UsageSource.Store, null),
            new([], UsageSource.Store, null),
            123);

        var json = System.Text.Json.JsonSerializer.Serialize(dashboard, System.Text.Json.JsonSerializerOptions.Web);
        var back = System.Text.Json.JsonSerializer.Deserialize<UsageDashboard>(json, System.Text.Json.JsonSerializerOptions.Web)!;

        Assert.Equal(dashboard.Window, back.Window);
        Assert.Equal(dashboard.Series.Value.Totals, back.Series.Value.Totals);
        Assert.Equal(dashboard.Series.Value.Buckets.ToArray(), back.Series.Value.Buckets.ToArray());
        Assert.Equal(dashboard.ByModel.Value.ToArray(), back.ByModel.Value.ToArray());
        Assert.Equal((UsageSource.Mixed, "live rollups of x: y"), (back.ByModel.Source, back.ByModel.Error));
        Assert.True(back.ByTeam.Failed);
        Assert.Equal(0.25m, back.TopUsers.Value[0].Totals.Cost);
        Assert.Equal(123, back.TakenAtMs);
    }
}
