using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// The response cache across real processes: a silo clustered over Redis with <c>cache_params.type: redis</c>, and a
/// gateway as a separate process. Entries live in Redis, not in the silo: a silo killed and started again still serves them.
/// </summary>
public sealed class CacheClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MasterKey = "sk-cache-cluster-master";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<HostProcess> _hosts = [];
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotdash-cache-cluster-" + Guid.NewGuid().ToString("n")[..12]);
    private string? _redis;

    [Fact]
    public async Task RedisCache_SiloKilledAndRestarted_StillServesTheStoredAnswer()
    {
        if (_redis is null)
        {
            return;
        }
        var ports = HostPorts.Free();
        var silo = StartSilo(ports);
        await silo.WaitUntilReadyAsync(StartTimeout);
        var gateway = HostProcess.StartGateway(FreePorts.Next(), 0, _clusterId, Environment());
        _hosts.Add(gateway);
        await gateway.WaitUntilReadyAsync(StartTimeout);
        var body = $$"""{"model":"cached-mock","messages":[{"role":"user","content":"survive {{Guid.NewGuid():N}}"}]}""";

        using var first = await ChatAsync(gateway, body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", first.Headers.GetValues("x-hotdash-cache").Single());
        var key = first.Headers.GetValues("x-litellm-cache-key").Single();
        Assert.StartsWith(_clusterId + ":", key, StringComparison.Ordinal);
        await WaitUntilHitAsync(gateway, body); // the store is written after the answer went out

        silo.Kill();
        await HostProcess.RestartUntilReadyAsync(ports, StartSilo, StartTimeout);

        // The gateway reconnects to the new silo on its own; until then it answers uncached or 503s.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var again = await ChatAsync(gateway, body);
            if (again.StatusCode == HttpStatusCode.OK && again.Headers.TryGetValues("x-hotdash-cache", out var status) && status.Single() == "HIT")
            {
                Assert.Equal(key, again.Headers.GetValues("x-litellm-cache-key").Single());
                Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no hit after the restart (last: {(int)again.StatusCode})\n{Describe()}");
            await Task.Delay(200);
        }
    }

    private async Task WaitUntilHitAsync(HostProcess gateway, string body)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await ChatAsync(gateway, body);
            if (response.Headers.TryGetValues("x-hotdash-cache", out var status) && status.Single() == "HIT")
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the answer was never stored");
            await Task.Delay(50);
        }
    }

    private HostProcess StartSilo(HostPorts ports)
    {
        var silo = HostProcess.StartSilo(ports, _clusterId, Environment());
        _hosts.Add(silo);
        return silo;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["REDIS_URL"] = TestRedis.Url(_redis!),
        ["LITELLM_MASTER_KEY"] = MasterKey,
        ["HOTDASH_CONFIG"] = Path.Combine(_directory, "config.yaml"),
    };

    private static async Task<HttpResponseMessage> ChatAsync(HostProcess gateway, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "/v1/chat/completions"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", MasterKey);
        try
        {
            var response = await gateway.Http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
        }
    }

    private string Describe() => string.Join("\n", _hosts.Select(h => h.Describe()));

    public async Task InitializeAsync()
    {
        _redis = TestRedis.Address(output);
        Directory.CreateDirectory(_directory);
        // The namespace is this test's cluster id: its keys never meet another run's in the shared Redis.
        await File.WriteAllTextAsync(Path.Combine(_directory, "config.yaml"), $$"""
            model_list:
              - model_name: cached-mock
                litellm_params: { model: mock/cached }
                model_info: { id: cached-mock-1 }
            litellm_settings:
              cache: true
              cache_params:
                type: redis
                namespace: {{_clusterId}}
                ttl: 600
            """);
    }

    public Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            output.WriteLine(host.Describe());
            host.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
