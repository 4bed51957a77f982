using System.Collections.Immutable;
using System.Text.Json;
using Bunit;
using HotDash.Grains;
using TraceDetailPage = HotDash.Dashboard.Components.Pages.TraceDetail;

namespace HotDash.Dashboard.Tests.Traces;

public sealed class TraceDetailPageTests : TracePagesContext
{
    private const long T0 = 1_780_000_000_000;

    private static TraceDetail Detail(string project = "default") => new(
        new TraceSummary(
            new TraceRecord("t1")
            {
                ProjectId = project,
                Name = "support-chat",
                TimestampMs = T0,
                UserId = "alice@example.com",
                SessionId = "s 1",
                Release = "r-42",
                Version = "v3",
                Environment = "staging",
                Tags = ["prod", "vip"],
                Input = """[{"role":"user","content":"what the trace was asked"}]""",
                Output = """{"role":"assistant","content":"what the trace answered"}""",
                Metadata = ImmutableDictionary<string, string>.Empty.Add("trace_key", "trace value"),
            },
            ["g1"], ["sc1", "sc2", "sc3"], 1.5, 0.0042m) { TotalTokens = 12_345 },
        [
            new ObservationRecord("g1")
            {
                ProjectId = project, TraceId = "t1", Type = "GENERATION", Name = "llm-call", StartTimeMs = T0, EndTimeMs = T0 + 1500,
                Input = """[{"role":"user","content":"what the generation was asked"}]""",
                UsageDetails = ImmutableDictionary<string, long>.Empty.Add("input", 10_000),
            },
        ],
        [
            new ScoreRecord("sc1") { Name = "accuracy", DataType = "NUMERIC", Value = 0.85670000000000002 },
            new ScoreRecord("sc2") { Name = "tone", DataType = "CATEGORICAL", Value = 0, StringValue = "friendly" },
            new ScoreRecord("sc3") { Name = "resolved", DataType = "BOOLEAN", Value = 1 },
        ]);

    private IRenderedComponent<TraceDetailPage> Open(string url)
    {
        // Rendered directly, not through the router: the route's Id comes as the parameter, the query from the URL.
        Nav.NavigateTo(url);
        var cut = Render<TraceDetailPage>(p => p.Add(d => d.Id, new Uri(Nav.Uri).AbsolutePath.Split('/').Last()));
        cut.WaitForAssertion(() => Assert.Contains("support-chat", cut.Find("h1").TextContent), TimeSpan.FromSeconds(5));
        return cut;
    }

    [Fact]
    public void TraceDetail_Opened_ShowsTheTraceItselfSelectedAtTheTopOfTheTree()
    {
        Analytics.Details[("default", "t1")] = Detail();

        var cut = Open("traces/t1");

        var rows = cut.FindAll(".hd-obs-row");
        Assert.Equal("t1", rows[0].GetAttribute("data-trace-id"));
        Assert.Contains("hd-obs-selected", rows[0].ClassName);
        Assert.Equal("g1", rows[1].GetAttribute("data-obs-id"));
        var shown = cut.Find("#selected-trace").TextContent;
        Assert.Contains("what the trace was asked", shown);
        Assert.Contains("what the trace answered", shown);
        Assert.Contains("trace value", shown);
        Assert.Empty(cut.FindAll("#selected-observation"));
    }

    [Fact]
    public void TraceDetail_ObservationThenTraceClicked_ShowsEachInTurn()
    {
        Analytics.Details[("default", "t1")] = Detail();
        var cut = Open("traces/t1");

        cut.Find("[data-obs-id=g1]").Click();

        Assert.Contains("what the generation was asked", cut.Find("#selected-observation").TextContent);
        Assert.Contains("10,000", cut.Find("#selected-observation").TextContent);
        Assert.Empty(cut.FindAll("#selected-trace"));

        cut.Find("[data-trace-id=t1]").Click();

        Assert.Contains("what the trace was asked", cut.Find("#selected-trace").TextContent);
    }

    [Fact]
    public void TraceDetail_Facts_TagsReleaseVersionEnvironmentTokensCostAndLinks()
    {
        Analytics.Details[("default", "t1")] = Detail();

        var cut = Open("traces/t1");

        Assert.Equal(["prod", "vip"], cut.FindAll("#trace-tags .trace-tag").Select(c => c.TextContent.Trim()));
        Assert.Contains("r-42", cut.Find("#trace-release").TextContent);
        Assert.Contains("v3", cut.Find("#trace-version").TextContent);
        Assert.Contains("staging", cut.Find("#trace-environment").TextContent);
        Assert.Contains("12,345", cut.Find("#trace-tokens").TextContent);
        Assert.Contains("$0.0042", cut.Find("#trace-cost").TextContent);
        Assert.Equal("traces?range=all&userId=alice%40example.com", cut.Find("a#trace-user").GetAttribute("href"));
        Assert.Equal("traces?range=all&sessionId=s%201", cut.Find("a#trace-session").GetAttribute("href"));
    }

    [Fact]
    public void TraceDetail_Scores_ValuesForPeople()
    {
        Analytics.Details[("default", "t1")] = Detail();

        var cut = Open("traces/t1");

        Assert.Equal(["0.8567", "friendly", "True"], cut.FindAll("#trace-scores td.score-value").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void TraceDetail_NoProjectInUrl_ReadsTheTracingProject()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        Analytics.Details[("gw-project", "t1")] = Detail("gw-project");

        Open("traces/t1");

        Assert.Equal(("gw-project", "t1"), Assert.Single(Analytics.DetailReads));
    }

    [Fact]
    public void TraceDetail_ProjectInUrl_ReadsItAndEveryLinkKeepsIt()
    {
        ConfigYaml = "hotdash:\n  tracing:\n    project_id: gw-project\n";
        Analytics.Details[("other", "t1")] = Detail("other");

        var cut = Open("traces/t1?project=other");

        Assert.Equal(("other", "t1"), Assert.Single(Analytics.DetailReads));
        Assert.EndsWith("&project=other", cut.Find("a#trace-user").GetAttribute("href"));
        Assert.EndsWith("&project=other", cut.Find("a#trace-session").GetAttribute("href"));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "traces?project=other");
    }

    [Fact]
    public void TraceDetail_RenderedAgainWithTheSameTrace_ReadsItOnce()
    {
        Analytics.Details[("default", "t1")] = Detail();
        var cut = Open("traces/t1");

        cut.Render();

        Assert.Single(Analytics.DetailReads);
    }

    [Fact]
    public void TraceDetail_JsonRoundTrip_KeepsWhatThePageShows()
    {
        // [PersistentState] carries the detail from the prerender to the circuit as JSON (web defaults).
        var detail = Detail();

        var back = JsonSerializer.Deserialize<TraceDetail>(JsonSerializer.Serialize(detail, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal(detail.Summary.Trace with { Tags = null, Metadata = null }, back.Summary.Trace with { Tags = null, Metadata = null });
        Assert.Equal(detail.Summary.Trace.Tags!.Value.ToArray(), back.Summary.Trace.Tags!.Value.ToArray());
        Assert.Equal("trace value", back.Summary.Trace.Metadata!["trace_key"]);
        Assert.Equal((12_345L, 0.0042m, 1.5), (back.Summary.TotalTokens, back.Summary.TotalCost, back.Summary.LatencySeconds));
        Assert.Equal(10_000, back.Observations.Single().UsageDetails!["input"]);
        Assert.Equal(["sc1", "sc2", "sc3"], back.Scores.Select(s => s.Id));
        Assert.Equal("friendly", back.Scores[1].StringValue);
    }
}
