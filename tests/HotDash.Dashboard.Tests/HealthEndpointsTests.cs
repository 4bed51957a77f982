using System.Text.Json;

namespace HotDash.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class HealthEndpointsTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Liveliness_Requested_SaysImAlive()
    {
        using var client = fixture.Dashboard.CreateClient();

        var body = await client.GetStringAsync("/health/liveliness");

        Assert.Equal("I'm alive!", JsonSerializer.Deserialize<string>(body));
    }

    [Fact]
    public async Task Readiness_ClusterRunning_ReportsHealthyWithTheSilo()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/health/readiness");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = json.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.Equal("dashboard", root.GetProperty("role").GetString());
        var cluster = root.GetProperty("cluster");
        Assert.Equal("connected", cluster.GetProperty("status").GetString());
        Assert.Equal(1, cluster.GetProperty("gateways").GetInt32());
        Assert.Equal(1, cluster.GetProperty("active_silos").GetInt32());
        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal(TestSilo.Name, silo.GetProperty("name").GetString());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OrleansDashboard_Requested_IsServedUnderOrleans()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var page = await client.GetAsync("/orleans/");
        // The silos report their counters about once a second, so a dashboard just started may not list one yet.
        var counters = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline && !counters.Contains(TestSilo.Name, StringComparison.Ordinal);)
        {
            using var response = await client.GetAsync("/orleans/DashboardCounters");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            counters = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(TestSilo.Name, counters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MudBlazorStylesheet_Requested_IsServed()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }
}
