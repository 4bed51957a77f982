using HotDash.Dashboard.Services.Cluster;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace HotDash.Dashboard.Tests.Cluster;

/// <summary>The reader against a real silo, through the dashboard's own Orleans client and registrations.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ClusterOverviewReaderTests(DashboardFixture fixture)
{
    [Fact]
    public async Task ReadCluster_SiloRunning_ListsItWithStatisticsAndActivationsPerGrainType()
    {
        // Three deployment health grains activated on the silo: at least these must be counted.
        var ids = Enumerable.Range(0, 3).Select(i => $"cluster-reader-test-{Guid.NewGuid():N}-{i}").ToArray();
        await Task.WhenAll(ids.Select(id => fixture.Silo.Grains.GetGrain<IDeploymentHealthGrain>(id).GetHealth()));
        var reader = fixture.Dashboard.Services.GetRequiredService<IClusterOverviewSource>();

        var overview = await reader.ReadClusterAsync();

        Assert.True(overview.IsReachable, overview.Error);
        Assert.Null(overview.StatisticsError);
        var silo = Assert.Single(overview.Silos, s => s.Silo.IsActive);
        Assert.Equal(TestSilo.Name, silo.Silo.Name);
        Assert.Equal($"127.0.0.1:{fixture.Silo.SiloPort}", silo.Silo.Address);
        Assert.NotNull(silo.Runtime);
        Assert.True(silo.Runtime.ActivationCount >= 3, $"activations {silo.Runtime.ActivationCount}");
        Assert.True(silo.Runtime.Clients >= 1, "the dashboard's own client is connected");
        var health = Assert.Single(overview.GrainTypes, t => t.Name == "DeploymentHealthGrain");
        Assert.Contains("HotDash", health.FullName, StringComparison.Ordinal);
        Assert.True(health.Total >= 3, $"{health.Total} activations");
        var split = Assert.Single(health.PerSilo, s => s.SiloAddress == silo.Silo.Address);
        Assert.Equal(TestSilo.Name, split.SiloName);
        Assert.Equal(overview.GrainTypes.Sum(t => t.Total), overview.TotalActivations);
        Assert.Equal(overview.GrainTypes.OrderByDescending(t => t.Total).Select(t => t.Total), overview.GrainTypes.Select(t => t.Total));
    }

    [Fact]
    public async Task ClusterPage_Requested_RendersSilosGrainTypesAndTheGateway()
    {
        await fixture.Silo.Grains.GetGrain<IDeploymentHealthGrain>($"cluster-page-test-{Guid.NewGuid():N}").GetHealth();
        using var client = fixture.Dashboard.CreateClient();

        using var response = await client.GetAsync("/cluster");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"cluster-silos\"", html, StringComparison.Ordinal);
        Assert.Contains(TestSilo.Name, html, StringComparison.Ordinal);
        Assert.Contains("DeploymentHealthGrain", html, StringComparison.Ordinal);
        Assert.Contains("id=\"gateway-probe\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"orleans/\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Cluster unreachable", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NavMenu_Rendered_LinksTheClusterPageAfterTheOthersWithHomeFirst()
    {
        using var client = fixture.Dashboard.CreateClient();

        var html = await client.GetStringAsync("/cluster");

        var links = System.Text.RegularExpressions.Regex.Matches(html, "<a[^>]*href=\"([^\"]*)\"[^>]*class=\"mud-nav-link[^\"]*\"|<a[^>]*class=\"mud-nav-link[^\"]*\"[^>]*href=\"([^\"]*)\"")
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .ToArray();
        Assert.True(links.Length >= 10, string.Join(", ", links));
        Assert.Equal("", links[0].TrimStart('/'));
        foreach (var page in new[] { "traces", "sessions", "users", "admin/teams", "admin/keys", "admin/users", "admin/projects", "models", "cluster", "orleans/" })
        {
            Assert.Contains(page, links);
        }
    }
}
