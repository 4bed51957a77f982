using Bunit;
using HotDash.Dashboard.Components.Pages;
using HotDash.Grains;
using Microsoft.AspNetCore.Components;

namespace HotDash.Dashboard.Tests.Traces;

public sealed class TraceGroupPagesTests : TracePagesContext
{
    private static readonly TraceGroupTotals Session = new("s 1", Traces: 1_234, Observations: 2_500, TotalCost: 1.5m, TotalTokens: 12_345,
        FirstTraceMs: Now.AddDays(-2).ToUnixTimeMilliseconds(), LastTraceMs: Now.AddHours(-1).ToUnixTimeMilliseconds(), Errors: 3);

    [Fact]
    public void SessionsPage_Rendered_QueriesSessionTotalsOfTheLast7Days()
    {
        var cut = RenderAt<Sessions>("sessions");

        var q = WaitForGroupQuery(cut);
        Assert.Equal(TraceGroupKind.Session, q.By);
        Assert.Equal(DefaultProject.Id, q.ProjectId);
        Assert.Equal(1, q.Page);
        Assert.Equal(50, q.Limit);
        Assert.Equal(Now.AddDays(-7).ToUnixTimeMilliseconds(), q.FromTimestampMs);
        Assert.Null(q.Search);
    }

    [Fact]
    public void SessionsPage_Row_ShowsTotalsAndLinksToItsSessionAndItsTraces()
    {
        Analytics.Groups.Add(Session);

        var cut = RenderAt<Sessions>("sessions");

        cut.WaitForAssertion(() => Assert.Equal("1,234", cut.Find("td.group-traces").TextContent.Trim()));
        Assert.Equal("12,345", cut.Find("td.group-tokens").TextContent.Trim());
        Assert.Equal("$1.50", cut.Find("td.group-cost").TextContent.Trim());
        var errors = cut.Find(".group-errors");
        Assert.Contains("mud-chip-color-error", errors.ClassName);
        Assert.Equal("3", errors.TextContent.Trim());
        Assert.Equal("sessions/s%201", cut.Find("a.group-id").GetAttribute("href"));
        Assert.Equal("traces?range=all&sessionId=s%201", cut.Find("a.group-traces-link").GetAttribute("href"));
    }

    [Fact]
    public void SessionsPage_RowClicked_OpensTheSessionPage()
    {
        Analytics.Groups.Add(Session);
        var cut = RenderAt<Sessions>("sessions");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("td.group-traces")));

        cut.Find("tbody tr").Click();

        Assert.EndsWith("/sessions/s%201", Nav.Uri);
    }

    [Fact]
    public void UsersPage_SearchTyped_QueriesUsersWithIt()
    {
        var cut = RenderAt<Users>("users");
        WaitForGroupQuery(cut);

        cut.Find("#group-search").Change("ali");

        cut.WaitForAssertion(() => Assert.Equal("ali", Analytics.GroupQueries.Last(q => q.Page == 1 && q.Limit == 50).Search));
        Assert.All(Analytics.GroupQueries, q => Assert.Equal(TraceGroupKind.User, q.By));
    }

    [Fact]
    public void UsersPage_RowLink_OpensTheUsersTraces()
    {
        Analytics.Groups.Add(Session with { Id = "alice@example.com" });

        var cut = RenderAt<Users>("users");

        cut.WaitForAssertion(() => Assert.Equal("traces?range=all&userId=alice%40example.com", cut.Find("a.group-id").GetAttribute("href")));
    }

    [Fact]
    public void UsersPage_NoUsersAtAll_SaysHowToGetSome()
    {
        var cut = RenderAt<Users>("users");

        cut.WaitForAssertion(() => Assert.StartsWith("No users yet: send requests with a \"user\" field to http://localhost:4000/v1/chat/completions",
            cut.Find("#groups-empty").TextContent.Trim()));
    }

    [Fact]
    public void SessionsPage_SearchExcludesEverySession_SaysNoneMatch()
    {
        Analytics.Groups.Add(Session);
        Analytics.GroupAnswer = q => q.Search is null && q.FromTimestampMs is null ? new TraceGroupPage([Session], 1) : new TraceGroupPage([], 0);

        var cut = RenderAt<Sessions>("sessions");

        cut.WaitForAssertion(() => Assert.StartsWith("No sessions match", cut.Find("#groups-empty").TextContent.Trim()));
    }

    [Fact]
    public void SessionsPage_NoProjectInUrl_QueriesTheTracingProject()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";

        var cut = RenderAt<Sessions>("sessions");

        Assert.Equal("gw-project", WaitForGroupQuery(cut).ProjectId);
    }

    [Fact]
    public void UsersPage_ProjectInUrl_QueriesItAndRowLinksKeepIt()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        Analytics.Groups.Add(Session with { Id = "bob" });

        var cut = RenderAt<Users>("users?project=other");

        Assert.Equal("other", WaitForGroupQuery(cut).ProjectId);
        cut.WaitForAssertion(() => Assert.Equal("traces?range=all&userId=bob&project=other", cut.Find("a.group-id").GetAttribute("href")));
        cut.Find("tbody tr").Click();
        Assert.EndsWith("/traces?range=all&userId=bob&project=other", Nav.Uri);
    }

    [Fact]
    public void SessionsPage_NoSessionsGatewayUrlConfigured_EmptyStateNamesIt()
    {
        ConfigYaml = "hotdash:\n  api_port: 4100\n";

        var cut = RenderAt<Sessions>("sessions");

        cut.WaitForAssertion(() => Assert.EndsWith("metadata.session_id to http://localhost:4100/v1/chat/completions", cut.Find("#groups-empty").TextContent.Trim()));
    }

    [Fact]
    public void UsersPage_Title_IsTheH1()
    {
        var cut = RenderAt<Users>("users");

        Assert.Equal("Users", cut.Find("h1").TextContent.Trim());
    }

    private TraceGroupQuery WaitForGroupQuery<TPage>(IRenderedComponent<TPage> cut)
        where TPage : IComponent
    {
        var q = default(TraceGroupQuery);
        cut.WaitForAssertion(() => Assert.True(Analytics.GroupQueries.TryPeek(out q)), TimeSpan.FromSeconds(5));
        return q!;
    }
}
