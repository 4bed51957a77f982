using System.Globalization;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class HomePageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task HomePage_ClusterRunning_ShowsTheClusterChipAndTheOverview()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 silo active", html, StringComparison.Ordinal);
        Assert.Contains("href=\"cluster\"", html, StringComparison.Ordinal);
        Assert.Contains(">Overview<", html, StringComparison.Ordinal);
        Assert.Contains("id=\"range-picker\"", html, StringComparison.Ordinal);
        // The silo list and the model table moved to the Cluster and Models pages.
        Assert.DoesNotContain("id=\"models\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cluster unreachable", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_LiveRollupHasRequests_PrerendersTheirTotals()
    {
        // Straight into the silo's "all" rollup, as the trace aggregators feed it: no store write is involved.
        var minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        var histogram = new int[LatencyHistogram.BucketCount];
        histogram[LatencyHistogram.BucketOf(120)] = 4321;
        var rollup = fixture.Silo.Grains.GetGrain<ITraceRollupGrain>(RollupSubjects.All);
        await rollup.Add([new RollupDelta(minute, 4321, 21, 1000, 2000, 12.5m, 0, [.. histogram])]);
        // Add is one-way: wait until the grain has it.
        for (var i = 0; i < 50 && (await rollup.GetMinutes(minute)).Sum(m => m.Requests) < 4321; i++)
        {
            await Task.Delay(100);
        }
        using var client = fixture.Dashboard.CreateClient();

        var html = await client.GetStringAsync("/?range=lasthour");

        Assert.Contains(4321.ToString("N0", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.Contains("id=\"stat-requests\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"empty-state\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_Rendered_LinksEveryPageAndTheOrleansDashboard()
    {
        using var client = fixture.Dashboard.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("href=\"orleans/\"", html, StringComparison.Ordinal);
        Assert.Contains(">Home<", html, StringComparison.Ordinal);
        foreach (var page in new[] { "traces", "sessions", "users", "admin/teams", "admin/keys", "admin/users", "admin/projects", "models" })
        {
            Assert.Contains($"href=\"{page}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownPage_Requested_Returns404Page()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
