using Bunit;
using ClusterPage = HotDash.Dashboard.Components.Pages.Cluster;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services;
using HotDash.Dashboard.Services.Cluster;
using HotDash.Dashboard.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Cluster;

public sealed class ClusterPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A bUnit context with the Cluster page's services; disposed asynchronously (MudBlazor's services need it).</summary>
    private sealed class PageContext : BunitContext
    {
        public PageContext()
        {
            JSInterop.Mode = JSRuntimeMode.Loose;
            Services.AddMudServices();
            AddBunitPersistentComponentState();
            Services.AddSingleton<TimeProvider>(Time);
            Services.AddSingleton(Options.Create(Settings));
            Services.AddSingleton<IClusterOverviewSource>(Source);
            // The gateway's readiness over HTTP: an external surface, answered by a canned handler.
            var http = new HttpClient(new RecordingHandler(HttpStatusCode.OK, """{"status":"healthy"}""")) { BaseAddress = new Uri("http://127.0.0.1:4000/") };
            Services.AddSingleton(new GatewayProbe(http, NullLogger<GatewayProbe>.Instance));
        }

        public FakeTimeProvider Time { get; } = new(Now);

        public FakeClusterOverviewSource Source { get; } = new();

        public HotDashDashboardOptions Settings { get; } = new() { RefreshInterval = TimeSpan.FromSeconds(5) };
    }

    [Fact]
    public async Task ClusterPage_Unreachable_SaysWhyAndThatItRetries()
    {
        await using var ctx = new PageContext();
        ctx.Source.Overview = ClusterOverview.Unreachable("not connected to any silo gateway", Now);

        var cut = ctx.Render<ClusterPage>();

        var alert = cut.Find("#cluster-unreachable").TextContent;
        Assert.Contains("Cluster unreachable.", alert);
        Assert.Contains("not connected to any silo gateway", alert);
        Assert.Contains("./hotdash up", alert);
        Assert.Contains("retries every 5 s.", alert);
        Assert.Empty(cut.FindAll("#cluster-silos"));
        Assert.Empty(cut.FindAll("#grain-types"));
        // The gateway section still renders (its probe is independent of the cluster).
        Assert.Contains("GET http://127.0.0.1:4000/health/readiness", cut.Find("#gateway-probe").TextContent);
    }

    [Fact]
    public async Task ClusterPage_Reachable_ShowsSilosStatisticsAndGrainTypesSortedByCount()
    {
        await using var ctx = new PageContext();
        var silo = ClusterOverviewTests.Silo("10.0.0.1:11111", 3, "silo-a", started: Now.AddMinutes(-125));
        ctx.Source.Overview = ClusterOverview.Build(
            [silo, ClusterOverviewTests.Silo("10.0.0.1:11111", 2, "silo-a", active: false)],
            new Dictionary<(string, int), SiloRuntimeView> { [("10.0.0.1:11111", 3)] = ClusterOverviewTests.Runtime(1234, cpu: 7.5f, used: 512L << 20, total: 8L << 30) },
            [
                new("HotDash.Grains.KeyGrain,HotDash.Grains", "10.0.0.1:11111", 3, 2),
                new("HotDash.Grains.QuotaGrain,HotDash.Grains", "10.0.0.1:11111", 3, 1200),
            ],
            Now);

        var cut = ctx.Render<ClusterPage>();

        var silos = cut.Find("#cluster-silos").TextContent;
        Assert.Contains("10.0.0.1:11111", silos);
        Assert.Contains("silo-a", silos);
        Assert.Contains("Active", silos);
        Assert.Contains("Dead", silos);
        Assert.Contains("2 h 5 min", silos);
        Assert.Contains("7.5 %", silos);
        Assert.Contains("512 MB of 8 GB", silos);
        // Grain activations on the silo (the per-type sum); the catalog's count, system targets included, is the tooltip.
        Assert.Contains("1,202", silos);
        Assert.Contains("1,234 in the silo's catalog", cut.Find("#cluster-silos span[title*='catalog']").GetAttribute("title"));
        var rows = cut.FindAll("#grain-types tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("QuotaGrain", rows[0].TextContent);
        Assert.Contains("1,200", rows[0].TextContent);
        Assert.Equal("HotDash.Grains.QuotaGrain,HotDash.Grains", rows[0].QuerySelector("span[title]")!.GetAttribute("title"));
        Assert.Contains("KeyGrain", rows[1].TextContent);
        Assert.Contains("1,202 activations", cut.Find("#total-activations").TextContent);
        Assert.Contains("1 active silo", cut.Find("#cluster-summary").TextContent);
        Assert.Equal("orleans/", cut.Find("#open-orleans-dashboard").GetAttribute("href"));
        Assert.Empty(cut.FindAll("#cluster-unreachable"));
    }

    [Fact]
    public async Task ClusterPage_StatisticsFailed_ListsSilosAndWarns()
    {
        await using var ctx = new PageContext();
        ctx.Source.Overview = ClusterOverview.Build([ClusterOverviewTests.Silo("10.0.0.1:11111", 3, "silo-a")],
            new Dictionary<(string, int), SiloRuntimeView>(), [], Now, statisticsError: "grain statistics: no answer from the cluster within 3 s");

        var cut = ctx.Render<ClusterPage>();

        Assert.Contains("no answer from the cluster within 3 s", cut.Find("#statistics-error").TextContent);
        Assert.Contains("silo-a", cut.Find("#cluster-silos").TextContent);
        Assert.Contains("No activations reported yet", cut.Find("#grain-types").TextContent);
    }

    [Fact]
    public async Task ClusterPage_RefreshIntervalPasses_ReadsAgainAndShowsTheNewState()
    {
        await using var ctx = new PageContext();
        ctx.Source.Overview = ClusterOverview.Unreachable("not connected to any silo gateway", Now);
        var cut = ctx.Render<ClusterPage>();
        Assert.Equal(1, ctx.Source.Reads);

        ctx.Source.Overview = ClusterOverview.Build([ClusterOverviewTests.Silo("10.0.0.1:11111", 3, "silo-back")], new Dictionary<(string, int), SiloRuntimeView>(), [], Now);
        ctx.Time.Advance(ctx.Settings.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Contains("silo-back", cut.Find("#cluster-silos").TextContent));
        Assert.True(ctx.Source.Reads >= 2);
        Assert.Empty(cut.FindAll("#cluster-unreachable"));
    }
}
