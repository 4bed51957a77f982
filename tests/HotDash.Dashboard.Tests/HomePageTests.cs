using System.Globalization;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class HomePageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task HomePage_ClusterRunning_ListsSilosAndModels()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TestSilo.Name, html, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{fixture.Silo.SiloPort}", html, StringComparison.Ordinal);
        Assert.Contains(">Active<", html, StringComparison.Ordinal);
        Assert.Contains("1 active silo", html, StringComparison.Ordinal);
        Assert.Contains("mock-chat", html, StringComparison.Ordinal);
        Assert.Contains("mock-embedding", html, StringComparison.Ordinal);
        Assert.Contains("built-in mock models", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Cluster unreachable", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_GatewayRegisteredAndReady_ShowsRegistryAndProbe()
    {
        var now = DateTimeOffset.UtcNow;
        var heartbeat = new GatewayHeartbeat("gw-dashboard-test", fixture.Gateway.Url, now.AddMinutes(-5), now,
            ["mock-chat"], new GatewayCounters(Requests: 1234, Errors: 5, Streams: 6, PromptTokens: 700, CompletionTokens: 800, MeanLatencyMs: 12.5), "healthy");
        await fixture.Silo.Grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey).Heartbeat(heartbeat);
        using var client = fixture.Dashboard.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("gw-dashboard-test", html, StringComparison.Ordinal);
        Assert.Contains(fixture.Gateway.Url, html, StringComparison.Ordinal);
        Assert.Contains(1234.ToString("N0", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        // The HTTP probe of the stand-in gateway's readiness.
        Assert.Contains($"GET {fixture.Gateway.Url}/health/readiness", html, StringComparison.Ordinal);
        Assert.Contains("<b>healthy</b>", html, StringComparison.Ordinal);
        Assert.Contains(">ready<", html, StringComparison.Ordinal);
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

    private static int CountOccurrences(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
