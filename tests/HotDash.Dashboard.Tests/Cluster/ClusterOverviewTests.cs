using HotDash.Dashboard.Services;
using HotDash.Dashboard.Services.Cluster;

namespace HotDash.Dashboard.Tests.Cluster;

public sealed class ClusterOverviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    internal static SiloView Silo(string address, int generation, string name, bool active = true, DateTimeOffset? started = null) =>
        new(address, generation, name, "host-" + name, active ? "Active" : "Dead", active, 30000, started ?? Now.AddHours(-2), Now);

    internal static SiloRuntimeView Runtime(int activations, float? cpu = 12.5f, long? used = 512L << 20, long? total = 8L << 30) =>
        new(activations, activations / 2, cpu, used, total - used, total, false, 2, Now);

    [Fact]
    public void Build_CountsFromTwoSilos_SumsPerTypeSortedByTotalThenName()
    {
        var silos = new[] { Silo("10.0.0.1:11111", 7, "silo-a"), Silo("10.0.0.2:11111", 9, "silo-b") };
        GrainActivationCount[] counts =
        [
            new("HotDash.Grains.QuotaGrain,HotDash.Grains", "10.0.0.1:11111", 7, 40),
            new("HotDash.Grains.QuotaGrain,HotDash.Grains", "10.0.0.2:11111", 9, 60),
            new("HotDash.Grains.KeyGrain,HotDash.Grains", "10.0.0.2:11111", 9, 5),
            new("HotDash.Grains.CacheGrain,HotDash.Grains", "10.0.0.1:11111", 7, 5),
            new("Orleans.Runtime.Management.ManagementGrain", "10.0.0.1:11111", 7, 1),
        ];

        var overview = ClusterOverview.Build(silos, new Dictionary<(string, int), SiloRuntimeView>(), counts, Now);

        Assert.True(overview.IsReachable);
        Assert.Equal(["QuotaGrain", "CacheGrain", "KeyGrain", "ManagementGrain"], overview.GrainTypes.Select(t => t.Name));
        Assert.Equal([100, 5, 5, 1], overview.GrainTypes.Select(t => t.Total));
        Assert.Equal(111, overview.TotalActivations);
        var quota = overview.GrainTypes[0];
        Assert.Equal("HotDash.Grains.QuotaGrain,HotDash.Grains", quota.FullName);
        Assert.Equal([("10.0.0.2:11111", "silo-b", 60, 9), ("10.0.0.1:11111", "silo-a", 40, 7)], quota.PerSilo.Select(s => (s.SiloAddress, s.SiloName, s.Count, s.SiloGeneration)));
    }

    [Fact]
    public void ActivationsOn_RestartedEndpoint_CountsOnlyTheLiveGeneration()
    {
        var (live, dead) = (Silo("10.0.0.1:11111", 2, "silo"), Silo("10.0.0.1:11111", 1, "silo", active: false));
        GrainActivationCount[] counts = [new("Ns.A", "10.0.0.1:11111", 2, 4), new("Ns.B", "10.0.0.1:11111", 2, 3)];

        var overview = ClusterOverview.Build([live, dead], new Dictionary<(string, int), SiloRuntimeView>(), counts, Now);

        Assert.Equal(7, overview.ActivationsOn(live));
        Assert.Null(overview.ActivationsOn(dead));
    }

    [Fact]
    public void Build_ZeroAndNegativeCounts_LeftOut()
    {
        GrainActivationCount[] counts = [new("Ns.Gone", "10.0.0.1:11111", 1, 0), new("Ns.Odd", "10.0.0.1:11111", 1, -2), new("Ns.Here", "10.0.0.1:11111", 1, 3)];

        var overview = ClusterOverview.Build([Silo("10.0.0.1:11111", 1, "a")], new Dictionary<(string, int), SiloRuntimeView>(), counts, Now);

        Assert.Equal("Here", Assert.Single(overview.GrainTypes).Name);
        Assert.Equal(3, overview.TotalActivations);
    }

    [Fact]
    public void Build_RuntimeStatistics_AttachByEndpointAndGeneration()
    {
        // The same endpoint restarted: the dead generation must not get the live one's statistics.
        var silos = new[] { Silo("10.0.0.1:11111", 2, "new"), Silo("10.0.0.1:11111", 1, "old", active: false) };
        var runtime = new Dictionary<(string, int), SiloRuntimeView> { [("10.0.0.1:11111", 2)] = Runtime(42) };

        var overview = ClusterOverview.Build(silos, runtime, [], Now);

        Assert.Equal(42, overview.Silos[0].Runtime?.ActivationCount);
        Assert.Null(overview.Silos[1].Runtime);
        Assert.Equal(1, overview.ActiveSilos);
        Assert.Equal(["new", "old"], overview.Silos.Select(s => s.Silo.Name));
    }

    [Fact]
    public void Build_CountFromSiloMembershipDoesNotList_KeepsItWithoutName()
    {
        var overview = ClusterOverview.Build([Silo("10.0.0.1:11111", 1, "a")], new Dictionary<(string, int), SiloRuntimeView>(),
            [new GrainActivationCount("Ns.X", "10.0.0.9:11111", 4, 2)], Now);

        var split = Assert.Single(Assert.Single(overview.GrainTypes).PerSilo);
        Assert.Equal(("10.0.0.9:11111", "", 2), (split.SiloAddress, split.SiloName, split.Count));
    }

    [Fact]
    public void Unreachable_Error_NoSilosNoActivations()
    {
        var overview = ClusterOverview.Unreachable("not connected to any silo gateway", Now);

        Assert.False(overview.IsReachable);
        Assert.Equal("not connected to any silo gateway", overview.Error);
        Assert.Empty(overview.Silos);
        Assert.Equal(0, overview.TotalActivations);
        Assert.Equal(0, overview.ActiveSilos);
    }

    [Fact]
    public void SiloDetails_Uptime_OnlyForActiveSilos()
    {
        var active = new SiloDetails(Silo("10.0.0.1:11111", 1, "a", started: Now.AddMinutes(-90)), null);
        var dead = new SiloDetails(Silo("10.0.0.1:11111", 0, "b", active: false, started: Now.AddDays(-1)), null);

        Assert.Equal(TimeSpan.FromMinutes(90), active.Uptime(Now));
        Assert.Null(dead.Uptime(Now));
    }

    [Fact]
    public void ClusterOverview_JsonRoundTrip_KeepsEverything()
    {
        // The page carries the overview from the prerender into the circuit as JSON.
        var overview = ClusterOverview.Build([Silo("10.0.0.1:11111", 1, "a")], new Dictionary<(string, int), SiloRuntimeView> { [("10.0.0.1:11111", 1)] = Runtime(3) },
            [new GrainActivationCount("Ns.X,Asm", "10.0.0.1:11111", 1, 3)], Now, statisticsError: "grain statistics: timeout");

        var json = System.Text.Json.JsonSerializer.Serialize(overview);
        var back = System.Text.Json.JsonSerializer.Deserialize<ClusterOverview>(json)!;

        Assert.Equal(overview.Silos[0], back.Silos[0]);
        Assert.Equal("X", back.GrainTypes[0].Name);
        Assert.Equal(3, back.TotalActivations);
        Assert.Equal("grain statistics: timeout", back.StatisticsError);
        Assert.Equal(12.5f, back.Silos[0].Runtime?.CpuPercent);
    }
}
