using Bunit;
using HotDash.Dashboard.Services.Traces;
using HotDash.Grains;
using SessionDetailPage = HotDash.Dashboard.Components.Pages.SessionDetail;

namespace HotDash.Dashboard.Tests.Traces;

public sealed class SessionDetailPageTests : TracePagesContext
{
    private const long T0 = 1_780_000_000_000;

    private static TraceRecord Record(string id, long at, string question, string answer, string? user = "alice@example.com") =>
        new(id)
        {
            ProjectId = "default",
            Name = "chat " + id,
            TimestampMs = at,
            UserId = user,
            SessionId = "s 1",
            Input = $$"""[{"role":"user","content":"{{question}}"}]""",
            Output = $$"""{"role":"assistant","content":"{{answer}}"}""",
        };

    // Stored newest first on purpose: the page must show them oldest first whatever order they come in.
    private void AddSession(string project = "default")
    {
        TraceRecord[] traces =
        [
            Record("t2", T0 + 60_000, "and the second question", "the second answer", user: "bob"),
            Record("t1", T0, "the first question", "the first answer"),
        ];
        Analytics.Sessions[(project, "s 1")] = new SessionDetail(new SessionSummary("s 1", project, T0, "staging"), [.. traces]);
        Analytics.Traces.Add(new TraceSummary(traces[1], [], [], 1.5, 0.25m) { TotalTokens = 1_200 });
        Analytics.Traces.Add(new TraceSummary(traces[0], [], [], 0.25, 1.5m) { TotalTokens = 10_000, Level = "ERROR" });
    }

    private IRenderedComponent<SessionDetailPage> Open(string url, string id = "s 1")
    {
        Nav.NavigateTo(url);
        return Render<SessionDetailPage>(p => p.Add(d => d.Id, id));
    }

    [Fact]
    public void SessionDetail_Opened_ShowsTracesOldestFirstWithTheirConversations()
    {
        AddSession();

        var cut = Open("sessions/s%201");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".session-trace").Count), TimeSpan.FromSeconds(5));
        var cards = cut.FindAll(".session-trace");
        Assert.Equal(["t1", "t2"], cards.Select(c => c.GetAttribute("data-trace-id")));
        Assert.Contains("the first question", cards[0].QuerySelector(".session-trace-input")!.TextContent);
        Assert.Contains("the first answer", cards[0].QuerySelector(".session-trace-output")!.TextContent);
        Assert.Equal(2, cards[1].QuerySelectorAll(".hd-chat-message").Length);
        Assert.Contains("the second answer", cards[1].QuerySelector(".session-trace-output")!.TextContent);
        Assert.Equal("traces/t1", cards[0].QuerySelector("a.session-trace-link")!.GetAttribute("href"));
        Assert.Equal("latency 1.50 s", cards[0].QuerySelector(".session-trace-latency")!.TextContent.Trim());
        Assert.Equal("cost $0.25", cards[0].QuerySelector(".session-trace-cost")!.TextContent.Trim());
        Assert.Equal("tokens 10,000", cards[1].QuerySelector(".session-trace-tokens")!.TextContent.Trim());
    }

    [Fact]
    public void SessionDetail_Opened_HeaderSumsTheTracesAndNamesTheUsers()
    {
        AddSession();

        var cut = Open("sessions/s%201");

        cut.WaitForAssertion(() => Assert.Equal("Session s 1", cut.Find("h1").TextContent.Trim()), TimeSpan.FromSeconds(5));
        Assert.Equal("traces 2", cut.Find("#session-count").TextContent.Trim());
        Assert.Equal("cost $1.75", cut.Find("#session-cost").TextContent.Trim());
        Assert.Equal("tokens 11,200", cut.Find("#session-tokens").TextContent.Trim());
        Assert.Contains("2026-05-28", cut.Find("#session-first").TextContent);
        Assert.Equal(["alice@example.com", "bob"], cut.FindAll("a.session-user").Select(a => a.TextContent.Trim()));
        Assert.Equal("traces?range=all&sessionId=s%201", cut.Find("#session-traces-link").GetAttribute("href"));
        var q = Assert.Single(Analytics.TraceQueries);
        Assert.Equal("s 1", q.SessionId);
        Assert.True(q.Ascending);
    }

    [Fact]
    public void SessionDetail_UnknownSession_SaysSoWithTheProject()
    {
        var cut = Open("sessions/nope", "nope");

        cut.WaitForAssertion(() => Assert.StartsWith("No session nope in project default", cut.Find("#session-not-found").TextContent.Trim()),
            TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll(".session-trace"));
    }

    [Fact]
    public void SessionDetail_NoProjectInUrl_ReadsTheTracingProject()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        AddSession("gw-project");

        var cut = Open("sessions/s%201");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".session-trace").Count), TimeSpan.FromSeconds(5));
        Assert.Equal(("gw-project", "s 1"), Assert.Single(Analytics.SessionReads));
        // The configured project is the default, so links do not spell it out.
        Assert.Equal("traces/t1", cut.Find("a.session-trace-link").GetAttribute("href"));
    }

    [Fact]
    public void SessionDetail_ProjectInUrl_ReadsItAndLinksKeepIt()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        AddSession("other");

        var cut = Open("sessions/s%201?project=other");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".session-trace").Count), TimeSpan.FromSeconds(5));
        Assert.Equal(("other", "s 1"), Assert.Single(Analytics.SessionReads));
        Assert.Equal("other", Assert.Single(Analytics.TraceQueries).ProjectId);
        Assert.Equal("traces/t1?project=other", cut.Find("a.session-trace-link").GetAttribute("href"));
        Assert.Equal("traces?range=all&sessionId=s%201&project=other", cut.Find("#session-traces-link").GetAttribute("href"));
    }

    [Fact]
    public void SessionDetail_Rerendered_ReadsTheSessionOnce()
    {
        AddSession();
        var cut = Open("sessions/s%201");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".session-trace").Count), TimeSpan.FromSeconds(5));

        cut.Render(p => p.Add(d => d.Id, "s 1"));

        Assert.Single(Analytics.SessionReads);
    }

    [Fact]
    public void SessionDetail_SummariesMissing_ShowsTracesAndNoTotals()
    {
        AddSession();
        Analytics.TraceAnswer = _ => new TracePage([], 0);

        var cut = Open("sessions/s%201");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".session-trace").Count), TimeSpan.FromSeconds(5));
        Assert.Equal("cost –", cut.Find("#session-cost").TextContent.Trim());
        Assert.NotNull(cut.Find("#session-partial"));
    }

    [Fact]
    public void SessionView_PersistedAsJson_ComesBackTheSame()
    {
        AddSession();
        var view = SessionView.Of(Analytics.Sessions[("default", "s 1")], Analytics.Traces);

        // [PersistentState] carries the view from the prerender to the circuit as JSON.
        var back = System.Text.Json.JsonSerializer.Deserialize<SessionView>(System.Text.Json.JsonSerializer.Serialize(view))!;

        Assert.Equal(view.Session, back.Session);
        Assert.Equal(view.Traces.Select(t => (t.Trace.Id, t.Trace.Input, t.Summary?.TotalCost)), back.Traces.Select(t => (t.Trace.Id, t.Trace.Input, t.Summary?.TotalCost)));
        Assert.Equal((1.75m, 11_200L), (back.TotalCost, back.TotalTokens));
    }
}
