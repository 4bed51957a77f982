namespace HotDash.Dashboard.Tests.Admin;

/// <summary>The Models page against a real silo: prices, health and the latency column render, whatever the analytics store answers.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task ModelsPage_Requested_ShowsEveryDeploymentWithALatencyCell()
    {
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/models");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Latency (last hour)", html, StringComparison.Ordinal);
        Assert.Contains("mock-chat", html, StringComparison.Ordinal);
        Assert.Contains("mock-embedding", html, StringComparison.Ordinal);
        // No request went through a gateway here: either the store says so, or it could not be read; never an error page.
        Assert.Equal(2, CountOf(html, "class=\"hd-latency\""));
        Assert.True(html.Contains("no requests", StringComparison.Ordinal) || html.Contains("Recent latency unavailable", StringComparison.Ordinal), html);
        Assert.Contains(">healthy<", html, StringComparison.Ordinal);
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
