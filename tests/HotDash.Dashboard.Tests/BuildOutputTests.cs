using System.Text.Json;

namespace HotDash.Dashboard.Tests;

/// <summary>The dashboard as users run it: its build output as a process, in Production, against the real silo.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BuildOutputTests(DashboardFixture fixture)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BuildOutput_RunInProduction_ServesPagesAndMudBlazorAssets()
    {
        using var dashboard = HostProcess.StartDashboard(FreePorts.Next(), fixture.Silo.GatewayPort, fixture.Gateway.Port);
        await dashboard.WaitUntilAliveAsync(StartTimeout);

        using var css = await dashboard.Http.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        using var js = await dashboard.Http.GetAsync("/_content/MudBlazor/MudBlazor.min.js");
        using var home = await dashboard.Http.GetAsync("/");
        var html = await home.Content.ReadAsStringAsync();

        Assert.True(css.StatusCode == HttpStatusCode.OK, $"MudBlazor.min.css: {(int)css.StatusCode}\n{dashboard.Describe()}");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // The home page's cluster chip and overview (the silo list and model table moved to /cluster and /models).
        Assert.Contains("1 silo active", html, StringComparison.Ordinal);
        Assert.Contains("id=\"range-picker\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_ClusterUnreachable_SaysSoInsteadOfFailing()
    {
        // A port nothing listens on: the Orleans client keeps retrying, the dashboard must still serve.
        using var dashboard = HostProcess.StartDashboard(FreePorts.Next(), orleansGatewayPort: FreePorts.Next(), apiPort: FreePorts.Next());
        await dashboard.WaitUntilAliveAsync(StartTimeout);

        using var home = await dashboard.Http.GetAsync("/");
        var html = await home.Content.ReadAsStringAsync();
        using var readiness = await dashboard.Http.GetAsync("/health/readiness");
        using var json = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("cluster unreachable", html, StringComparison.Ordinal);
        Assert.Contains("Could not read the totals", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("unreachable", json.RootElement.GetProperty("cluster").GetProperty("status").GetString());
        Assert.Contains("not connected", json.RootElement.GetProperty("cluster").GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
