namespace HotDash.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class GatewayRegistryGrainTests(ClusterFixture fixture)
{
    private IGatewayRegistryGrain Registry => fixture.Grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey);

    [Fact]
    public async Task Heartbeat_NewGateway_IsListed()
    {
        var id = TestData.UniqueId("gw");

        await Registry.Heartbeat(TestData.Heartbeat(id, fixture.Time.GetUtcNow()));

        var gateways = await Registry.GetGateways();
        Assert.Contains(gateways, g => g.InstanceId == id);
    }

    [Fact]
    public async Task Heartbeat_SameInstanceTwice_KeepsOnlyTheLatest()
    {
        var id = TestData.UniqueId("gw");
        var first = TestData.Heartbeat(id, fixture.Time.GetUtcNow());
        await Registry.Heartbeat(first);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));

        var second = first with { SentAt = fixture.Time.GetUtcNow(), Counters = first.Counters with { Requests = 42 } };
        await Registry.Heartbeat(second);

        var mine = (await Registry.GetGateways()).Where(g => g.InstanceId == id).ToList();
        var only = Assert.Single(mine);
        Assert.Equal(42, only.Counters.Requests);
    }

    [Fact]
    public async Task GetGateways_NotHeardFromFor30Seconds_DropsGateway()
    {
        var quiet = TestData.UniqueId("quiet");
        var chatty = TestData.UniqueId("chatty");
        await Registry.Heartbeat(TestData.Heartbeat(quiet, fixture.Time.GetUtcNow()));
        await Registry.Heartbeat(TestData.Heartbeat(chatty, fixture.Time.GetUtcNow()));

        fixture.Time.Advance(TimeSpan.FromSeconds(29));
        await Registry.Heartbeat(TestData.Heartbeat(chatty, fixture.Time.GetUtcNow()));
        var at29 = await Registry.GetGateways();

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var at30 = await Registry.GetGateways();

        Assert.Contains(at29, g => g.InstanceId == quiet);
        Assert.DoesNotContain(at30, g => g.InstanceId == quiet);
        Assert.Contains(at30, g => g.InstanceId == chatty);
    }

    [Fact]
    public async Task GetGateways_SeveralGateways_NewestFirst()
    {
        var older = TestData.UniqueId("older");
        var newer = TestData.UniqueId("newer");
        await Registry.Heartbeat(TestData.Heartbeat(older, fixture.Time.GetUtcNow()));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Registry.Heartbeat(TestData.Heartbeat(newer, fixture.Time.GetUtcNow()));

        var ids = (await Registry.GetGateways()).Select(g => g.InstanceId).ToList();

        Assert.True(ids.IndexOf(newer) < ids.IndexOf(older), string.Join(", ", ids));
    }

    [Fact]
    public async Task Heartbeat_CooldownSet_ReturnsItUntilItEnds()
    {
        var deployment = TestData.UniqueId("dep");
        var gateway = TestData.UniqueId("gw");
        Registry.SetCooldown(new DeploymentCooldown(deployment, fixture.Time.GetUtcNow().AddSeconds(10), "test")).Ignore();

        var during = await HeartbeatUntil(gateway, cooldowns => cooldowns.Any(c => c.DeploymentId == deployment));
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var after = await Registry.Heartbeat(TestData.Heartbeat(gateway, fixture.Time.GetUtcNow()));

        Assert.Contains(during, c => c.DeploymentId == deployment);
        Assert.DoesNotContain(after, c => c.DeploymentId == deployment);
    }

    [Fact]
    public async Task SetCooldown_EarlierEndAfterLater_KeepsTheLaterEnd()
    {
        var deployment = TestData.UniqueId("dep");
        var gateway = TestData.UniqueId("gw");
        var now = fixture.Time.GetUtcNow();
        await Registry.SetCooldown(new DeploymentCooldown(deployment, now.AddSeconds(60), "long"));
        await Registry.SetCooldown(new DeploymentCooldown(deployment, now.AddSeconds(5), "short"));

        var cooldowns = await HeartbeatUntil(gateway, cs => cs.Any(c => c.DeploymentId == deployment));

        Assert.Equal("long", Assert.Single(cooldowns, c => c.DeploymentId == deployment).Reason);
    }

    // SetCooldown is one-way: it may land a moment after the caller moves on, so look a few times (real time, bounded).
    private async Task<ImmutableArray<DeploymentCooldown>> HeartbeatUntil(string gateway, Func<ImmutableArray<DeploymentCooldown>, bool> seen)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cooldowns = await Registry.Heartbeat(TestData.Heartbeat(gateway, fixture.Time.GetUtcNow()));
            if (seen(cooldowns) || DateTime.UtcNow > deadline)
            {
                return cooldowns;
            }
            await Task.Delay(20);
        }
    }
}
