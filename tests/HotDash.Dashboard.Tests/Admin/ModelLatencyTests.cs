using Bunit;
using HotDash.Dashboard.Components.Pages.Admin;
using HotDash.Dashboard.Services.Admin;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

public sealed class ModelLatencyTests
{
    private static readonly HotDashConfig Config = HotDashConfigLoader.FromYaml("hotdash:\n  tracing:\n    project_id: gateway-project\n", null, _ => null);

    private static ModelStatus Status(ModelDeployment? d = null)
    {
        var deployment = d ?? Config.ModelList[0];
        return new ModelStatus(deployment, PriceTable.For(deployment), new DeploymentHealth(deployment.Id, 0, null, null));
    }

    private static UsageTotals Totals(long requests, long errors, double p50, double p95) => new(requests, errors, 0, 0, 0m, 0, p50, p95, p95 * 2);

    private static UsageOverview Overview(params UsageGroup[] byDeployment) =>
        new(UsageSeries.Empty, [], [], [], []) { ByDeployment = [.. byDeployment] };

    [Fact]
    public void LatencyText_Requests_P50AndP95WithRequestsAndErrors()
    {
        var text = DeploymentLatencyText.Of(Status() with { Latency = new DeploymentLatency(1234, 2, 850, 1240) }, TimeSpan.FromHours(1));

        Assert.True(text.Available);
        Assert.Equal("p50 850 ms · p95 1.24 s", text.Latency);
        Assert.Equal("1,234 requests · 2 errors", text.Requests);
        Assert.Contains("last hour", text.Title);
        Assert.Contains("error rate 0.2%", text.Title);
    }

    [Fact]
    public void LatencyText_OneRequestNoErrors_Singular()
    {
        var text = DeploymentLatencyText.Of(Status() with { Latency = new DeploymentLatency(1, 0, 12.4, 12.4) }, TimeSpan.FromHours(1));

        Assert.Equal("p50 12 ms · p95 12 ms", text.Latency);
        Assert.Equal("1 request", text.Requests);
    }

    [Fact]
    public void LatencyText_NoRequests_DashSayingSo()
    {
        var text = DeploymentLatencyText.Of(Status() with { Latency = DeploymentLatency.None }, TimeSpan.FromHours(1));

        Assert.Equal("no requests", text.Latency);
        Assert.Equal("", text.Requests);
        Assert.Equal("No requests to this deployment in the last hour.", text.Title);
    }

    [Fact]
    public void LatencyText_SourceFailed_DashWithTheReasonAsTooltip()
    {
        var text = DeploymentLatencyText.Of(Status() with { Latency = null, LatencyUnavailable = "the analytics store did not answer within 9 s" }, TimeSpan.FromHours(1));

        Assert.False(text.Available);
        Assert.Equal("—", text.Latency);
        Assert.Equal("", text.Requests);
        Assert.Equal("Recent latency unavailable: the analytics store did not answer within 9 s", text.Title);
    }

    [Fact]
    public async Task LatencyCell_Rendered_ValueLineRequestsLineAndTooltip()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;

        var ok = ctx.Render<LatencyCell>(p => p.Add(c => c.Status, Status() with { Latency = new DeploymentLatency(20_000, 0, 420, 2_500) }));
        var failed = ctx.Render<LatencyCell>(p => p.Add(c => c.Status, Status() with { LatencyUnavailable = "the analytics store failed (NotSupportedException: x)" }));

        Assert.Equal("p50 420 ms · p95 2.50 s", ok.Find(".hd-latency-value").TextContent);
        Assert.Equal("20,000 requests", ok.Find(".hd-latency-requests").TextContent.Trim());
        Assert.Equal("true", ok.Find(".hd-latency").GetAttribute("data-available"));
        Assert.Equal("—", failed.Find(".hd-latency-value").TextContent);
        Assert.Empty(failed.FindAll(".hd-latency-requests"));
        Assert.Equal("Recent latency unavailable: the analytics store failed (NotSupportedException: x)", failed.Find(".hd-latency").GetAttribute("title"));
    }

    [Fact]
    public void WithLatency_Overview_MatchesByDeploymentIdAndMissingMeansNoRequests()
    {
        var (chat, embedding) = (Config.ModelList[0], Config.ModelList[1]);
        var overview = Overview(new UsageGroup(chat.Id, Totals(10, 1, 100, 300)), new UsageGroup("removed-deployment", Totals(5, 0, 1, 1)));

        var statuses = ModelStatusReader.WithLatency([Status(chat), Status(embedding)], overview, null, top: 22, tracingEnabled: true);

        Assert.Equal(new DeploymentLatency(10, 1, 100, 300), statuses[0].Latency);
        Assert.Equal(DeploymentLatency.None, statuses[1].Latency);
        Assert.All(statuses, s => Assert.Null(s.LatencyUnavailable));
        Assert.Equal(chat, statuses[0].Deployment);
    }

    [Fact]
    public void WithLatency_NoOverview_EveryDeploymentUnavailableWithTheReason()
    {
        var statuses = ModelStatusReader.WithLatency([Status(Config.ModelList[0]), Status(Config.ModelList[1])], null, "the analytics store failed (X: y)", top: 22, tracingEnabled: true);

        Assert.All(statuses, s =>
        {
            Assert.Null(s.Latency);
            Assert.Equal("the analytics store failed (X: y)", s.LatencyUnavailable);
            Assert.NotNull(s.Health);
        });
    }

    [Fact]
    public void WithLatency_BreakdownCutAtTop_MissingDeploymentIsUnknownNotIdle()
    {
        var overview = Overview(new UsageGroup("a", Totals(9, 0, 1, 1)), new UsageGroup("b", Totals(8, 0, 1, 1)));

        var status = Assert.Single(ModelStatusReader.WithLatency([Status(Config.ModelList[0])], overview, null, top: 2, tracingEnabled: true));

        Assert.Null(status.Latency);
        Assert.Contains("not among the 2 busiest", status.LatencyUnavailable);
    }

    [Fact]
    public void WithLatency_TracingOff_MissingDeploymentSaysTracingIsOff()
    {
        var status = Assert.Single(ModelStatusReader.WithLatency([Status(Config.ModelList[0])], Overview(), null, top: 21, tracingEnabled: false));

        Assert.Null(status.Latency);
        Assert.Contains("tracing is off", status.LatencyUnavailable);
    }

    [Fact]
    public void LatencyQuery_Now_LastHourOfTheGatewaysTraceProjectInOneBucket()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        var query = ModelStatusReader.LatencyQuery(Config, now);

        Assert.Equal("gateway-project", query.ProjectId);
        Assert.Equal(now.ToUnixTimeMilliseconds(), query.ToMs);
        Assert.Equal(now.AddHours(-1).ToUnixTimeMilliseconds(), query.FromMs);
        Assert.Equal(3_600_000, query.BucketMs);
        Assert.True(query.Top >= Config.ModelList.Count);
    }
}
