using System.Text.Json;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>The silo clustered over a real Redis (<c>HOTDASH_TEST_REDIS</c>).</summary>
public sealed class SiloRedisTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<HostProcess> _silos = [];
    private readonly List<IHost> _clients = [];
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private string? _redis;

    [Fact]
    public async Task Readiness_RedisClustering_HealthyOnRedisStorage()
    {
        if (_redis is null)
        {
            return;
        }
        var silo = Start(HostPorts.Free());

        var report = await silo.WaitUntilReadyAsync(StartTimeout);

        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("active", report.GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal($"127.0.0.1:{silo.Ports.Silo}", report.GetProperty("silo").GetProperty("address").GetString());
        Assert.Equal(1, report.GetProperty("cluster").GetProperty("active_silos").GetInt32());
        Assert.Equal("redis", report.GetProperty("grain_storage").GetString());
        Assert.Equal("connected", report.GetProperty("redis").GetString());
    }

    [Fact]
    public async Task KilledSilo_RestartedOnRedisClustering_ComesBackReadyAndServesTheSameClient()
    {
        if (_redis is null)
        {
            return;
        }
        var ports = HostPorts.Free();
        var first = Start(ports);
        await first.WaitUntilReadyAsync(StartTimeout);
        var client = await StartClientAsync();
        var registry = client.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey);
        await CallUntilAnsweredAsync(() => registry.Heartbeat(Heartbeat("before")), "heartbeat before the kill");

        first.Kill();
        var second = await HostProcess.RestartUntilReadyAsync(ports, Start, StartTimeout);
        await CallUntilAnsweredAsync(() => registry.Heartbeat(Heartbeat("after")), "heartbeat after the restart");
        var gateways = await registry.GetGateways().WaitAsync(TimeSpan.FromSeconds(10));
        var report = await WaitForActiveSilosAsync(second, expected: 1);

        // The registry is soft state: only the gateway heard from since the restart is listed.
        Assert.Contains(gateways, g => g.InstanceId == "after");
        Assert.Equal("healthy", report.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Gateway_SiloKilledAndRestartedOnRedisClustering_KeepsAnsweringAndRejoins()
    {
        if (_redis is null)
        {
            return;
        }
        var ports = HostPorts.Free();
        var first = Start(ports);
        await first.WaitUntilReadyAsync(StartTimeout);
        var apiPort = FreePorts.Next();
        var gateway = HostProcess.StartGateway(apiPort, ports.Gateway, _clusterId, new Dictionary<string, string> { ["REDIS_URL"] = TestRedis.Url(_redis) });
        _silos.Add(gateway);
        await gateway.WaitUntilReadyAsync(StartTimeout);
        await AssertChatAnswersAsync(apiPort, "before the kill");

        first.Kill();
        // Nothing on the request path needs the silo: the gateway answers while it is gone.
        await AssertChatAnswersAsync(apiPort, "while the silo is down");

        await HostProcess.RestartUntilReadyAsync(ports, Start, StartTimeout);
        // Readiness makes a live grain call, so 200 means the gateway reached the new silo.
        var readiness = await gateway.WaitUntilReadyAsync(StartTimeout);
        await AssertChatAnswersAsync(apiPort, "after the restart");
        var client = await StartClientAsync();
        var registry = client.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.DefaultKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var listed = false;
        while (!listed && DateTime.UtcNow < deadline)
        {
            listed = (await registry.GetGateways().WaitAsync(TimeSpan.FromSeconds(5))).Any(g => g.Url.EndsWith($":{apiPort}", StringComparison.Ordinal));
            await Task.Delay(listed ? 0 : 500);
        }

        Assert.Equal("connected", readiness.GetProperty("cluster").GetProperty("status").GetString());
        Assert.True(listed, $"the gateway did not re-register with the restarted silo\n{gateway.Describe()}");
    }

    private static async Task AssertChatAnswersAsync(int apiPort, string when)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsync($"http://127.0.0.1:{apiPort}/v1/chat/completions",
            new StringContent("""{"model":"mock-chat","messages":[{"role":"user","content":"still there?"}]}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{when}: {(int)response.StatusCode} {body}");
        Assert.Contains("still there?", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_RedisClustering_LeavesTheClusterAsDead()
    {
        if (_redis is null)
        {
            return;
        }
        var silo = Start(HostPorts.Free());
        await silo.WaitUntilReadyAsync(StartTimeout);

        silo.Terminate();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(45));
        var statuses = await MembershipStatusesAsync(silo.Ports.Silo);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{silo.Describe()}");
        // SiloStatus.Dead = 6: it said goodbye instead of waiting for the others to vote it out.
        Assert.Equal([6], statuses);
    }

    public Task InitializeAsync()
    {
        _redis = TestRedis.Address(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // The silo is gone; nothing to say goodbye to.
            }
            client.Dispose();
        }
        foreach (var silo in _silos)
        {
            output.WriteLine(silo.Describe());
            silo.Dispose();
        }
        if (_redis is not null)
        {
            await using var redis = await ConnectAsync();
            await redis.GetDatabase().KeyDeleteAsync(MembershipKey);
        }
    }

    // Orleans' Redis membership table: one hash per cluster, "{ServiceId}/members/{ClusterId}".
    private string MembershipKey => $"hotdash/members/{_clusterId}";

    private HostProcess Start(HostPorts ports)
    {
        var silo = HostProcess.StartSilo(ports, _clusterId, new Dictionary<string, string> { ["REDIS_URL"] = TestRedis.Url(_redis!) });
        _silos.Add(silo);
        return silo;
    }

    private async Task<IClusterClient> StartClientAsync()
    {
        var env = new Dictionary<string, string> { ["REDIS_URL"] = TestRedis.Url(_redis!), ["HOTDASH_CLUSTER_ID"] = _clusterId };
        var config = HotDashConfigLoader.FromYaml("", null, name => env.GetValueOrDefault(name));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddHotDashClusterClient(config);
        var host = builder.Build();
        _clients.Add(host);
        using var cts = new CancellationTokenSource(StartTimeout);
        await host.StartAsync(cts.Token);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    private static async Task CallUntilAnsweredAsync<T>(Func<Task<T>> call, string what)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await call().WaitAsync(TimeSpan.FromSeconds(5));
                return;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
            {
                last = e;
                await Task.Delay(250);
            }
        }
        Assert.Fail($"{what}: no answer within {StartTimeout.TotalSeconds} s; last error: {last}");
    }

    private static async Task<JsonElement> WaitForActiveSilosAsync(HostProcess silo, int expected)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            var report = await silo.WaitUntilReadyAsync(StartTimeout);
            var active = report.GetProperty("cluster").GetProperty("active_silos").GetInt32();
            if (active == expected || DateTime.UtcNow > deadline)
            {
                Assert.True(active == expected, $"active_silos {active}, expected {expected}\n{silo.Describe()}");
                return report;
            }
            await Task.Delay(500);
        }
    }

    private async Task<List<int>> MembershipStatusesAsync(int siloPort)
    {
        await using var redis = await ConnectAsync();
        var entries = await redis.GetDatabase().HashGetAllAsync(MembershipKey);
        var statuses = new List<int>();
        foreach (var entry in entries)
        {
            if (entry.Name == "Version")
            {
                continue;
            }
            using var json = JsonDocument.Parse(entry.Value.ToString());
            var address = json.RootElement.GetProperty("SiloAddress").GetProperty("SiloAddress").GetString()!;
            if (address.StartsWith($"127.0.0.1:{siloPort}@", StringComparison.Ordinal))
            {
                statuses.Add(json.RootElement.GetProperty("Status").GetInt32());
            }
        }
        return statuses;
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(RedisConnection.FromUrl(TestRedis.Url(_redis!), TestRedis.Variable));

    private static GatewayHeartbeat Heartbeat(string instanceId)
    {
        var now = DateTimeOffset.UtcNow;
        return new GatewayHeartbeat(instanceId, "http://127.0.0.1:4000", now, now, ["mock"], new GatewayCounters(0, 0, 0, 0, 0, 0), "healthy");
    }
}
