using System.Collections.Immutable;
using HotDash.Dashboard.Services.Analytics;
using HotDash.Grains;
using static HotDash.Dashboard.Tests.Analytics.FakeUsageReads;

namespace HotDash.Dashboard.Tests.Analytics;

public sealed class UsageMergeTests
{
    private static UsageRead<UsageSeries> Ok(UsageSeries s) => UsageRead<UsageSeries>.Success(s);

    private static UsageRead<ImmutableArray<UsageGroup>> Store(params UsageGroup[] groups) => UsageRead<ImmutableArray<UsageGroup>>.Success([.. groups]);

    [Fact]
    public void Series_LiveCountedMore_LiveWins()
    {
        var live = Series(Totals(12, cost: 1.2m));
        var store = Series(Totals(10, cost: 1.0m));

        var panel = UsageMerge.Series(Ok(live), Ok(store));

        Assert.Same(live, panel.Value);
        Assert.Equal(UsageSource.Live, panel.Source);
        Assert.Null(panel.Error);
    }

    [Fact]
    public void Series_StoreCountedMore_StoreWins()
    {
        // E.g. a silo restart without Redis emptied the rollups, or Langfuse SDK generations the rollups never saw.
        var store = Series(Totals(50));

        var panel = UsageMerge.Series(Ok(Series(Totals(3))), Ok(store));

        Assert.Same(store, panel.Value);
        Assert.Equal(UsageSource.Store, panel.Source);
    }

    [Fact]
    public void Series_Tie_LiveWins()
    {
        var live = Series(Totals(5));

        Assert.Same(live, UsageMerge.Series(Ok(live), Ok(Series(Totals(5)))).Value);
    }

    [Fact]
    public void Series_StoreFails_LiveShownWithTheStoresError()
    {
        var live = Series(Totals(7));

        var panel = UsageMerge.Series(Ok(live), UsageRead<UsageSeries>.Failure("boom"));

        Assert.Same(live, panel.Value);
        Assert.False(panel.Failed);
        Assert.Equal("analytics store: boom", panel.Error);
    }

    [Fact]
    public void Series_BothFail_PanelFailedWithBothReasons()
    {
        var panel = UsageMerge.Series(UsageRead<UsageSeries>.Failure("no silo"), UsageRead<UsageSeries>.Failure("no store"));

        Assert.True(panel.Failed);
        Assert.Equal("live rollups: no silo; analytics store: no store", panel.Error);
        Assert.Equal(0, panel.Value.Totals.Requests);
    }

    [Fact]
    public void Series_NotLive_StoreOnly()
    {
        var store = Series(Totals(9));

        var panel = UsageMerge.Series(null, Ok(store));

        Assert.Same(store, panel.Value);
        Assert.Equal(UsageSource.Store, panel.Source);
    }

    [Fact]
    public void Groups_LiveAndStore_PerRowTheMoreCompleteWinsAndUnseenRowsAreAdded()
    {
        var live = new List<(string, UsageRead<UsageSeries>)>
        {
            ("gpt-4o", Ok(Series(Totals(12, cost: 3m)))),          // ahead of the store: live wins
            ("claude", Ok(Series(Totals(1)))),                      // behind the store: store wins
            ("mock-chat", Ok(Series(Totals(4)))),                   // not written yet: added
            ("idle", Ok(UsageSeries.Empty)),                        // no requests: no row
        };
        var store = Store(
            new UsageGroup("gpt-4o", Totals(10, cost: 2m)),
            new UsageGroup("claude", Totals(6)),
            new UsageGroup("sdk-model", Totals(2)));                // outside the config (Langfuse SDK): kept

        var panel = UsageMerge.Groups(live, store);

        Assert.Equal(["gpt-4o", "claude", "mock-chat", "sdk-model"], panel.Value.Select(g => g.Name));
        Assert.Equal([12L, 6, 4, 2], panel.Value.Select(g => g.Totals.Requests));
        Assert.Equal(3m, panel.Value[0].Totals.Cost);
        Assert.Equal(UsageSource.Mixed, panel.Source);
        Assert.Null(panel.Error);
    }

    [Fact]
    public void Groups_OneRollupFails_ItsStoreRowStaysAndThePanelSaysWhich()
    {
        var live = new List<(string, UsageRead<UsageSeries>)>
        {
            ("a", Ok(Series(Totals(5)))),
            ("b", UsageRead<UsageSeries>.Failure("timed out")),
        };

        var panel = UsageMerge.Groups(live, Store(new UsageGroup("b", Totals(3))));

        Assert.Equal(["a", "b"], panel.Value.Select(g => g.Name));
        Assert.Equal(3, panel.Value[1].Totals.Requests);
        Assert.False(panel.Failed);
        Assert.Equal("live rollups of b: timed out", panel.Error);
    }

    [Fact]
    public void Groups_StoreAndEveryRollupFail_PanelFailed()
    {
        var live = new List<(string, UsageRead<UsageSeries>)> { ("a", UsageRead<UsageSeries>.Failure("x")) };

        var panel = UsageMerge.Groups(live, UsageRead<ImmutableArray<UsageGroup>>.Failure("down"));

        Assert.True(panel.Failed);
        Assert.Empty(panel.Value);
        Assert.Contains("analytics store: down", panel.Error);
    }

    [Fact]
    public void Groups_StoreFailsRollupsAnswer_LiveRowsWithTheStoresError()
    {
        var live = new List<(string, UsageRead<UsageSeries>)> { ("", Ok(Series(Totals(2)))) };

        var panel = UsageMerge.Groups(live, UsageRead<ImmutableArray<UsageGroup>>.Failure("down"));

        Assert.Equal(UsageSource.Live, panel.Source);
        Assert.Equal("", Assert.Single(panel.Value).Name);
        Assert.Equal("analytics store: down", panel.Error);
    }

    [Fact]
    public void Fill_SparseSeries_EveryBucketOfTheWindowWithZerosBetween()
    {
        const long m = 60_000;
        var window = new UsageWindow(10 * m, 15 * m, m, IsLive: true);
        var series = Series(Totals(3), new UsageBucket(11 * m, Totals(1)), new UsageBucket(14 * m, Totals(2)));

        var buckets = UsageMerge.Fill(series, window);

        Assert.Equal([10 * m, 11 * m, 12 * m, 13 * m, 14 * m], buckets.Select(b => b.StartMs));
        Assert.Equal([0L, 1, 0, 0, 2], buckets.Select(b => b.Totals.Requests));
    }

    [Fact]
    public void ChartData_Buckets_LatencyGapsWhereNoRequestsAndThinnedLabels()
    {
        const long m = 60_000;
        var window = new UsageWindow(0, 60 * m, m, IsLive: true);
        var series = Series(Totals(1, p95: 250), new UsageBucket(5 * m, Totals(1, p50: 100, p95: 250, p99: 300)));

        var chart = UsageChartData.From(series, window);

        Assert.Equal(60, chart.Labels.Length);
        Assert.Equal("00:00", chart.Labels[0]);
        Assert.True(chart.Labels.Count(l => l.Length > 0) <= UsageChartData.MaxLabels);
        var p95 = chart.Latency(t => t.LatencyP95Ms);
        Assert.Null(p95[0]);
        Assert.Equal(250, p95[5]);
        Assert.Equal(1, chart.Requests[5]);
    }
}
