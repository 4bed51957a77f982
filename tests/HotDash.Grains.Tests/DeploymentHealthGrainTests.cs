namespace HotDash.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DeploymentHealthGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);

    private IDeploymentHealthGrain Deployment(out string id)
    {
        id = TestData.UniqueId("dep");
        return fixture.Grains.GetGrain<IDeploymentHealthGrain>(id);
    }

    [Fact]
    public async Task ReportFailure_BelowAllowedFails_DoesNotCoolDown()
    {
        var grain = Deployment(out _);

        var first = await grain.ReportFailure(TestData.Failure(allowedFails: 3, Cooldown));
        var second = await grain.ReportFailure(TestData.Failure(allowedFails: 3, Cooldown));
        var health = await grain.GetHealth();

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(2, health.RecentFailures);
        Assert.Null(health.CooldownUntil);
        Assert.Equal("500 upstream failed", health.LastError);
    }

    [Fact]
    public async Task ReportFailure_AllowedFailsReached_CoolsDownDeployment()
    {
        var grain = Deployment(out var id);
        var start = fixture.Time.GetUtcNow();

        await grain.ReportFailure(TestData.Failure(allowedFails: 3, Cooldown));
        await grain.ReportFailure(TestData.Failure(allowedFails: 3, Cooldown));
        var cooldown = await grain.ReportFailure(TestData.Failure(allowedFails: 3, Cooldown));

        Assert.NotNull(cooldown);
        Assert.Equal(id, cooldown.DeploymentId);
        Assert.Equal(start + Cooldown, cooldown.Until);
        Assert.Contains("500 upstream failed", cooldown.Reason);
        Assert.Equal(start + Cooldown, (await grain.GetHealth()).CooldownUntil);
    }

    [Fact]
    public async Task ReportFailure_AllowedFailsZero_CoolsDownOnFirstFailure()
    {
        var grain = Deployment(out _);

        var cooldown = await grain.ReportFailure(TestData.Failure(allowedFails: 0, Cooldown));

        Assert.NotNull(cooldown);
    }

    [Fact]
    public async Task ReportFailure_FailuresSpreadOverMoreThanAMinute_DoesNotCoolDown()
    {
        var grain = Deployment(out _);

        await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        var second = await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));

        Assert.Null(second);
        Assert.Equal(1, (await grain.GetHealth()).RecentFailures);
    }

    [Fact]
    public async Task ReportFailure_DuringCooldown_ReturnsTheSameCooldownWithoutExtendingIt()
    {
        var grain = Deployment(out _);
        var first = await grain.ReportFailure(TestData.Failure(allowedFails: 1, Cooldown));
        fixture.Time.Advance(TimeSpan.FromSeconds(10));

        var again = await grain.ReportFailure(TestData.Failure(allowedFails: 1, Cooldown));

        Assert.NotNull(first);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task GetHealth_CooldownTimeElapsed_CooldownEnds()
    {
        var grain = Deployment(out _);
        await grain.ReportFailure(TestData.Failure(allowedFails: 1, Cooldown));

        fixture.Time.Advance(Cooldown - TimeSpan.FromSeconds(1));
        var during = await grain.GetHealth();
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await grain.GetHealth();

        Assert.NotNull(during.CooldownUntil);
        Assert.Null(after.CooldownUntil);
    }

    [Fact]
    public async Task ReportFailure_AfterCooldownEnds_NeedsAllowedFailsAgain()
    {
        var grain = Deployment(out _);
        await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));
        await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));
        fixture.Time.Advance(Cooldown);

        // Both earlier failures are still inside the minute, but they were paid for by the first cooldown.
        var first = await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));
        var second = await grain.ReportFailure(TestData.Failure(allowedFails: 2, Cooldown));

        Assert.Null(first);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task ReportFailure_ZeroCooldownTime_NeverCoolsDown()
    {
        var grain = Deployment(out _);

        var cooldown = await grain.ReportFailure(TestData.Failure(allowedFails: 0, TimeSpan.Zero));

        Assert.Null(cooldown);
        Assert.Equal(1, (await grain.GetHealth()).RecentFailures);
    }

    [Fact]
    public async Task ReportFailure_CoolsDown_CooldownVisibleThroughRegistryHeartbeat()
    {
        var grain = Deployment(out var id);
        var registry = fixture.Grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey);
        var gateway = TestData.UniqueId("gw");

        var cooldown = await grain.ReportFailure(TestData.Failure(allowedFails: 0, Cooldown));
        var seen = await HeartbeatUntilSeen(registry, gateway, id);
        fixture.Time.Advance(Cooldown);
        var afterExpiry = await registry.Heartbeat(TestData.Heartbeat(gateway, fixture.Time.GetUtcNow()));

        Assert.NotNull(cooldown);
        Assert.Equal(cooldown, Assert.Single(seen, c => c.DeploymentId == id));
        Assert.DoesNotContain(afterExpiry, c => c.DeploymentId == id);
    }

    // The push to the registry is one-way: look a few times (real time, bounded).
    private async Task<ImmutableArray<DeploymentCooldown>> HeartbeatUntilSeen(IGatewayRegistryGrain registry, string gateway, string deploymentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cooldowns = await registry.Heartbeat(TestData.Heartbeat(gateway, fixture.Time.GetUtcNow()));
            if (cooldowns.Any(c => c.DeploymentId == deploymentId) || DateTime.UtcNow > deadline)
            {
                return cooldowns;
            }
            await Task.Delay(20);
        }
    }
}
