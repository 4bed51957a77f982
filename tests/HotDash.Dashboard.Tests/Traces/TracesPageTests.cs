using Bunit;
using HotDash.Dashboard.Components.Pages;
using TracesPage = HotDash.Dashboard.Components.Pages.Traces;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.Traces;

public sealed class TracesPageTests : TracePagesContext
{
    [Fact]
    public void TracesPage_UrlWithEveryNewFilter_QueriesWithThem()
    {
        var cut = RenderAt<TracesPage>("traces?range=all&teamId=t1&key=ci&model=gpt-4o&level=ERROR,WARNING&minCost=0.01&maxCost=2&minLatency=0.5&maxLatency=30&q=hello");

        var q = WaitForQuery(cut);
        Assert.Equal("t1", q.TeamId);
        Assert.Equal("ci", q.KeyAlias);
        Assert.Equal("gpt-4o", q.Model);
        Assert.Equal(["ERROR", "WARNING"], q.Levels.ToArray());
        Assert.Equal(0.01m, q.MinCost);
        Assert.Equal(2m, q.MaxCost);
        Assert.Equal(0.5, q.MinLatencySeconds);
        Assert.Equal(30, q.MaxLatencySeconds);
        Assert.Equal("hello", q.Search);
        Assert.Null(q.FromTimestampMs);
    }

    [Fact]
    public void TracesPage_MaxCostNotANumber_FieldErrorAndNoQuery()
    {
        var cut = RenderAt<TracesPage>("traces");
        WaitForQuery(cut);
        var before = Analytics.TraceQueries.Count;

        cut.Find("#filter-max-cost").Change("ten");
        cut.Find("#apply-filters").Click();

        Assert.Contains("Not a number: enter dollars", cut.Markup);
        Assert.Equal(before, Analytics.TraceQueries.Count);
    }

    [Fact]
    public void TracesPage_MinLatencyAboveMax_BothFieldsFlaggedAndNoQuery()
    {
        var cut = RenderAt<TracesPage>("traces");
        WaitForQuery(cut);
        var before = Analytics.TraceQueries.Count;

        cut.Find("#filter-min-latency").Change("5");
        cut.Find("#filter-max-latency").Change("1");
        cut.Find("#apply-filters").Click();

        Assert.Contains("Must not be above the maximum", cut.Markup);
        Assert.Contains("Must not be below the minimum", cut.Markup);
        Assert.Equal(before, Analytics.TraceQueries.Count);
    }

    [Fact]
    public void TracesPage_NegativeMinCost_FieldErrorAndNoQuery()
    {
        var cut = RenderAt<TracesPage>("traces");
        WaitForQuery(cut);
        var before = Analytics.TraceQueries.Count;

        cut.Find("#filter-min-cost").Change("-1");
        cut.Find("#apply-filters").Click();

        Assert.Contains("Must be 0 or more", cut.Markup);
        Assert.Equal(before, Analytics.TraceQueries.Count);
    }

    [Fact]
    public void TracesPage_UrlWithBadNumber_ShowsTheErrorAndSendsNothing()
    {
        var cut = RenderAt<TracesPage>("traces?minLatency=slow");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#filter-errors")));
        Assert.Contains("Not a number: enter seconds", cut.Markup);
        Assert.Empty(Analytics.TraceQueries);
    }

    [Fact]
    public void TracesPage_ApplyValidFilters_QueriesThemAndPutsThemInTheUrl()
    {
        var cut = RenderAt<TracesPage>("traces");
        WaitForQuery(cut);

        cut.Find("#filter-team").Change("team-1");
        cut.Find("#filter-min-cost").Change("$0.50");
        cut.Find("#filter-search").Change("refund");
        cut.Find("#level-ERROR").Click();
        cut.Find("#apply-filters").Click();

        cut.WaitForAssertion(() => Assert.Equal("team-1", LastPageQuery().TeamId));
        var q = LastPageQuery();
        Assert.Equal(0.5m, q.MinCost);
        Assert.Equal("refund", q.Search);
        Assert.Equal(["ERROR"], q.Levels.ToArray());
        Assert.EndsWith("traces?range=lastday&teamId=team-1&level=ERROR&minCost=0.50&q=refund", Nav.Uri);
    }

    [Fact]
    public void TracesPage_ClearFilters_QueriesUnfilteredAndResetsTheUrl()
    {
        var cut = RenderAt<TracesPage>("traces?range=all&model=m1&level=ERROR&maxCost=1");
        WaitForQuery(cut);

        cut.Find("#clear-filters").Click();

        cut.WaitForAssertion(() => Assert.Null(LastPageQuery().Model));
        var q = LastPageQuery();
        Assert.Empty(q.Levels);
        Assert.Null(q.MaxCost);
        Assert.Equal(Now.AddDays(-1).ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.EndsWith("traces?range=lastday", Nav.Uri);
        Assert.Equal("", cut.Find("#filter-max-cost").GetAttribute("value") ?? "");
    }

    [Fact]
    public void TracesPage_UrlChangedByNavigation_QueriesTheNewFilter()
    {
        var cut = RenderAt<TracesPage>("traces");
        WaitForQuery(cut);

        Nav.NavigateTo("traces?range=all&model=claude");

        cut.WaitForAssertion(() => Assert.Equal("claude", LastPageQuery().Model));
        Assert.Equal("claude", cut.Find("#filter-model").GetAttribute("value"));
    }

    [Fact]
    public void TracesPage_ErrorAndWarningTraces_ColoredLevelChips()
    {
        Analytics.Traces.AddRange([FakeAnalyticsQueryGrain.Trace("a", "ERROR"), FakeAnalyticsQueryGrain.Trace("b", "WARNING"), FakeAnalyticsQueryGrain.Trace("c", "DEFAULT")]);

        var cut = RenderAt<TracesPage>("traces");

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("td .trace-level").Count));
        var levels = cut.FindAll("td .trace-level");
        Assert.Contains("mud-chip-color-error", levels[0].ClassName);
        Assert.Equal("ERROR", levels[0].TextContent.Trim());
        Assert.Contains("mud-chip-color-warning", levels[1].ClassName);
        Assert.DoesNotContain("mud-chip", levels[2].ClassName);
        Assert.Equal("DEFAULT", levels[2].TextContent.Trim());
    }

    [Fact]
    public void TracesPage_Row_TokensCostAndLatencyForPeople()
    {
        Analytics.Traces.Add(FakeAnalyticsQueryGrain.Trace("a", tokens: 12_345, cost: 0.0012m, latency: 1.5));

        var cut = RenderAt<TracesPage>("traces");

        cut.WaitForAssertion(() => Assert.Equal("12,345", cut.Find("td.trace-tokens").TextContent.Trim()));
        Assert.Equal("$0.0012", cut.Find("td.trace-cost").TextContent.Trim());
        Assert.Equal("1.50 s", cut.Find("td.trace-latency").TextContent.Trim());
    }

    [Fact]
    public void TracesPage_NoTracesAtAll_SaysHowToSendOne()
    {
        var cut = RenderAt<TracesPage>("traces?range=all");

        cut.WaitForAssertion(() => Assert.Equal(
            "No traces yet: send a request to http://localhost:4000/v1/chat/completions", cut.Find("#traces-empty").TextContent.Trim()));
    }

    [Fact]
    public void TracesPage_FiltersExcludeEveryTrace_SaysNoneMatch()
    {
        Analytics.Traces.Add(FakeAnalyticsQueryGrain.Trace("a"));
        // Only the unfiltered probe sees the trace.
        Analytics.TraceAnswer = q => q.TeamId is null ? new TracePage([.. Analytics.Traces], 1) : new TracePage([], 0);

        var cut = RenderAt<TracesPage>("traces?teamId=nobody");

        cut.WaitForAssertion(() => Assert.StartsWith("No traces match these filters", cut.Find("#traces-empty").TextContent.Trim()));
        var probe = Analytics.TraceQueries.Last();
        Assert.Null(probe.TeamId);
        Assert.Null(probe.FromTimestampMs);
        Assert.Equal(1, probe.Limit);
    }

    [Fact]
    public void TracesPage_NoTracesGatewayUrlConfigured_EmptyStateNamesIt()
    {
        ConfigYaml = "hotdash:\n  gateway_url: https://llm.example.com/\n";

        var cut = RenderAt<TracesPage>("traces?range=all");

        cut.WaitForAssertion(() => Assert.Equal(
            "No traces yet: send a request to https://llm.example.com/v1/chat/completions", cut.Find("#traces-empty").TextContent.Trim()));
    }

    [Fact]
    public void TracesPage_NoProjectInUrl_QueriesTheTracingProject()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";

        var cut = RenderAt<TracesPage>("traces");

        Assert.Equal("gw-project", WaitForQuery(cut).ProjectId);
    }

    [Fact]
    public void TracesPage_ProjectInUrl_QueriesItAndKeepsItInLinks()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        Analytics.Traces.Add(FakeAnalyticsQueryGrain.Trace("a"));
        var cut = RenderAt<TracesPage>("traces?project=other");
        Assert.Equal("other", WaitForQuery(cut).ProjectId);

        cut.Find("#filter-model").Change("m1");
        cut.Find("#apply-filters").Click();
        cut.WaitForAssertion(() => Assert.EndsWith("traces?range=lastday&model=m1&project=other", Nav.Uri));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("td.trace-cost")));
        cut.Find("tbody tr").Click();
        Assert.EndsWith("/traces/a?project=other", Nav.Uri);
    }

    [Fact]
    public void TracesPage_NoProjectInUrl_RowOpensDetailWithoutOne()
    {
        Analytics.Traces.Add(FakeAnalyticsQueryGrain.Trace("a"));
        var cut = RenderAt<TracesPage>("traces");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("td.trace-cost")));

        cut.Find("tbody tr").Click();

        Assert.EndsWith("/traces/a", Nav.Uri);
    }

    [Theory]
    [InlineData("hour", 1)]
    [InlineData("7d", 24 * 7)]
    [InlineData("30d", 24 * 30)]
    public void TracesPage_FriendlyRangeInUrl_QueriesItWithoutAWarning(string range, int hours)
    {
        var cut = RenderAt<TracesPage>("traces?range=" + range);

        Assert.Equal(Now.AddHours(-hours).ToUnixTimeMilliseconds(), WaitForQuery(cut).FromTimestampMs);
        Assert.Empty(cut.FindAll("#ignored-filters"));
    }

    [Fact]
    public void TracesPage_UnknownRangeInUrl_HintNamesWhatWorks()
    {
        var cut = RenderAt<TracesPage>("traces?range=fortnight");

        cut.WaitForAssertion(() => Assert.Contains("range \"fortnight\" (use hour, day, 7d, 30d, all or custom)", cut.Find("#ignored-filters").TextContent));
    }

    [Fact]
    public void TracesPage_CustomRangeWithTimesOfDay_QueriesThoseInstantsAndShowsTimePickers()
    {
        var cut = RenderAt<TracesPage>("traces?range=custom&from=2026-11-30T08:30:00Z&to=2026-11-30T17:15:00Z");

        var q = WaitForQuery(cut);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 17, 15, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), q.ToTimestampMs);
        Assert.Contains("08:30", cut.Find("input#filter-from-time").GetAttribute("value"));
        Assert.Contains("17:15", cut.Find("input#filter-to-time").GetAttribute("value"));
    }

    [Fact]
    public void TracesPage_Title_IsTheH1()
    {
        var cut = RenderAt<TracesPage>("traces");

        Assert.Equal("Traces", cut.Find("h1").TextContent.Trim());
    }

    // The page's own query, not the one-row probe an empty filtered page makes.
    private TraceQuery LastPageQuery() => Analytics.TraceQueries.Last(q => q.Limit > 1);

    private TraceQuery WaitForQuery(IRenderedComponent<TracesPage> cut)
    {
        var q = default(TraceQuery);
        cut.WaitForAssertion(() => Assert.True(Analytics.TraceQueries.TryPeek(out q)), TimeSpan.FromSeconds(5));
        return q!;
    }
}
