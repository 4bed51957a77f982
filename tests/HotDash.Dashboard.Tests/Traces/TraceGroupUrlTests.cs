using Bunit;
using HotDash.Dashboard.Components.Pages;
using HotDash.Dashboard.Services.Traces;
using HotDash.Grains;
using Microsoft.AspNetCore.Components;

namespace HotDash.Dashboard.Tests.Traces;

public sealed class TraceGroupUrlTests : TracePagesContext
{
    [Fact]
    public void TraceGroupFilter_CustomRangeAndSearch_RoundTripsThroughTheQueryString()
    {
        var filter = new TraceGroupFilter(TraceGroupKind.User)
        {
            Range = TimeRange.Custom,
            From = new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            Search = "ali ce",
        };

        Assert.Equal("users?range=custom&from=2026-11-30T08%3A30%3A00Z&to=2026-12-01&q=ali%20ce", filter.Href);
        Assert.True(TraceGroupFilter.TryBuild(TraceGroupKind.User, TraceGroupFilter.Parse(filter.ToQueryString()), out var back));
        Assert.Equal(filter, back);
    }

    [Fact]
    public void TraceGroupFilter_NoRange_IsTheLast7DaysAndOtherTraceFiltersAreNotRead()
    {
        var form = TraceGroupFilter.Parse("?minCost=abc&name=x");

        Assert.True(TraceGroupFilter.TryBuild(TraceGroupKind.Session, form, out var filter));
        Assert.Equal(new TraceGroupFilter(TraceGroupKind.Session), filter);
    }

    [Fact]
    public void SessionsPage_RangeAndSearchInUrl_QueriesThemAndShowsThem()
    {
        var cut = RenderAt<Sessions>("sessions?range=custom&from=2026-11-30T08:30:00Z&to=2026-12-01&q=ali");

        var q = WaitForGroupQuery(cut);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), q.ToTimestampMs);
        Assert.Equal("ali", q.Search);
        Assert.Equal("ali", cut.Find("#group-search").GetAttribute("value"));
        Assert.NotEmpty(cut.FindAll("#group-from-date"));
    }

    [Fact]
    public void UsersPage_SearchTyped_PutsRangeAndSearchInTheUrl()
    {
        var cut = RenderAt<Users>("users?range=30d&project=other");
        WaitForGroupQuery(cut);

        cut.Find("#group-search").Change("ali");

        cut.WaitForAssertion(() => Assert.EndsWith("/users?range=last30days&q=ali&project=other", Nav.Uri));
        var last = Analytics.GroupQueries.Last(q => q.Limit == 50);
        Assert.Equal("ali", last.Search);
        Assert.Equal(Now.AddDays(-30).ToUnixTimeMilliseconds(), last.FromTimestampMs);
        Assert.Equal("other", last.ProjectId);
    }

    [Fact]
    public void UsersPage_UrlChangedBack_QueriesThatUrlsFilter()
    {
        var cut = RenderAt<Users>("users?range=all&q=ali");
        WaitForGroupQuery(cut);

        // What the browser's back button does: the location changes, the component stays.
        Nav.NavigateTo("users?range=hour");

        cut.WaitForAssertion(() =>
        {
            var last = Analytics.GroupQueries.Last(q => q.Limit == 50);
            Assert.Null(last.Search);
            Assert.Equal(Now.AddHours(-1).ToUnixTimeMilliseconds(), last.FromTimestampMs);
        });
        Assert.Equal("", cut.Find("#group-search").GetAttribute("value") ?? "");
    }

    [Fact]
    public void SessionsPage_UnknownRangeInUrl_SaysItWasIgnoredAndShowsTheLast7Days()
    {
        var cut = RenderAt<Sessions>("sessions?range=fortnight");

        Assert.Equal(Now.AddDays(-7).ToUnixTimeMilliseconds(), WaitForGroupQuery(cut).FromTimestampMs);
        Assert.Contains("range \"fortnight\"", cut.Find("#ignored-filters").TextContent);
    }

    [Fact]
    public void SessionsPage_CustomRangeEndingBeforeItStarts_QueriesNothingAndSaysWhy()
    {
        var cut = RenderAt<Sessions>("sessions?range=custom&from=2026-12-01&to=2026-11-01");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#filter-errors")));
        Assert.Empty(Analytics.GroupQueries);
    }

    private TraceGroupQuery WaitForGroupQuery<TPage>(IRenderedComponent<TPage> cut)
        where TPage : IComponent
    {
        var q = default(TraceGroupQuery);
        cut.WaitForAssertion(() => Assert.True(Analytics.GroupQueries.TryPeek(out q)), TimeSpan.FromSeconds(5));
        return q!;
    }
}
