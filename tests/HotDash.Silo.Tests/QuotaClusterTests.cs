using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// Quotas and spend across real processes: silos clustered over Redis with Redis grain storage, gateways as separate
/// processes, PostgreSQL as the registry. What LiteLLM gets wrong across replicas, HotDash must get exactly right.
/// </summary>
public sealed class QuotaClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MasterKey = "sk-cluster-master";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<HostProcess> _hosts = [];
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotdash-quota-cluster-" + Guid.NewGuid().ToString("n")[..12]);
    private string? _redis;
    private TestDatabase? _db;

    [Fact]
    public async Task TeamRpmLimit_200ConcurrentRequestsOverTwoGatewaysAndTwoSilos_ExactlyFiftySucceed()
    {
        if (_redis is null || _db is null)
        {
            return;
        }
        var silos = new[] { StartSilo(HostPorts.Free()), StartSilo(HostPorts.Free()) };
        await Task.WhenAll(silos.Select(s => s.WaitUntilReadyAsync(StartTimeout)));
        var gateways = new[] { StartGateway(), StartGateway() };
        await Task.WhenAll(gateways.Select(g => g.WaitUntilReadyAsync(StartTimeout)));
        var team = await ManageAsync(gateways[0], "/team/new", """{"team_alias":"exact","rpm_limit":50}""");
        var key = await ManageAsync(gateways[1], "/key/generate", $$"""{"team_id":"{{team.GetProperty("team_id").GetString()}}"}""");
        var apiKey = key.GetProperty("key").GetString()!;

        // Every request is sent before any is answered: all 200 race for the 50 slots at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 200).Select(async i =>
        {
            await gate.Task;
            using var response = await ChatAsync(gateways[i % 2], apiKey, $"request {i}");
            return response.StatusCode;
        }).ToArray();
        gate.SetResult();
        var statuses = await Task.WhenAll(requests);

        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(ok == 50 && limited == 150,
            $"{ok} succeeded, {limited} got 429, others: {string.Join(", ", statuses.Where(s => s is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests)))}\n{Describe()}");
    }

    [Fact]
    public async Task SiloKilledMidLoad_RestartedOnRedisStorage_NoSettledSpendIsLostAndNoRequestCountedTwice()
    {
        if (_redis is null || _db is null)
        {
            return;
        }
        var ports = HostPorts.Free();
        var silo = StartSilo(ports);
        await silo.WaitUntilReadyAsync(StartTimeout);
        var gateway = StartGateway();
        await gateway.WaitUntilReadyAsync(StartTimeout);
        var key = await ManageAsync(gateway, "/key/generate", """{"key_alias":"durable","max_budget":1000}""");
        var apiKey = key.GetProperty("key").GetString()!;
        var token = key.GetProperty("token").GetString()!;

        // Four clients send requests back to back while the silo is killed and started again. A refusal (503 while no
        // silo answers) costs a client a short pause, as a real client's backoff, so the outage cannot use up its
        // request budget before the silo is back.
        var successes = new System.Collections.Concurrent.ConcurrentDictionary<string, decimal>(StringComparer.Ordinal);
        var refused = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < 4000 && !stop.IsCancellationRequested; i++)
            {
                using var response = await ChatAsync(gateway, apiKey, $"client {c} request {i}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var callId = response.Headers.GetValues("x-litellm-call-id").Single();
                    var cost = decimal.Parse(response.Headers.GetValues("x-litellm-response-cost").Single(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    Assert.True(successes.TryAdd(callId, cost), $"call id {callId} answered twice");
                }
                else
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(25);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => successes.Count >= 100, TimeSpan.FromSeconds(60), "100 requests before the kill");
        silo.Kill();
        var atKill = successes.Count;
        await HostProcess.RestartUntilReadyAsync(ports, StartSilo, StartTimeout);
        await WaitUntilAsync(() => successes.Count >= atKill + 100, TimeSpan.FromSeconds(60), "100 requests after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // The gateway ships spend in batches and retries a batch until a silo has written it.
        var expected = successes.Values.Sum();
        await WaitUntilAsync(async () => await _db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.spend_logs WHERE api_key = '{token}' AND status = 'success'") >= successes.Count,
            TimeSpan.FromSeconds(60), "every success in the ledger");
        var rows = await _db.ScalarAsync<long>($"SELECT count(*) FROM hotdash.spend_logs WHERE api_key = '{token}' AND status = 'success'");
        var ledgerSpend = await _db.ScalarAsync<decimal>($"SELECT COALESCE(sum(spend), 0) FROM hotdash.spend_logs WHERE api_key = '{token}' AND status = 'success'");
        var keySpend = await _db.ScalarAsync<decimal>($"SELECT spend FROM hotdash.keys WHERE token = '{token}'");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = await _db.OpenAsync())
        {
            await using var command = new Npgsql.NpgsqlCommand($"SELECT request_id FROM hotdash.spend_logs WHERE api_key = '{token}' AND status = 'success'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        output.WriteLine($"{successes.Count} succeeded ({atKill} before the kill), {refused} refused while the silo was down");
        Assert.Equal(successes.Count, rows);
        Assert.True(ids.SetEquals(successes.Keys), "the ledger's request ids are not the answered call ids");
        Assert.Equal(expected, ledgerSpend);
        Assert.Equal(expected, keySpend);
    }

    private HostProcess StartSilo(HostPorts ports)
    {
        var silo = HostProcess.StartSilo(ports, _clusterId, Environment());
        _hosts.Add(silo);
        return silo;
    }

    private HostProcess StartGateway()
    {
        var gateway = HostProcess.StartGateway(FreePorts.Next(), 0, _clusterId, Environment());
        _hosts.Add(gateway);
        return gateway;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["REDIS_URL"] = TestRedis.Url(_redis!),
        ["DATABASE_URL"] = _db!.Url,
        ["LITELLM_MASTER_KEY"] = MasterKey,
        ["HOTDASH_CONFIG"] = Path.Combine(_directory, "config.yaml"),
    };

    private static async Task<JsonElement> ManageAsync(HostProcess gateway, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", MasterKey);
        using var response = await gateway.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> ChatAsync(HostProcess gateway, string apiKey, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new { model = "priced-mock", messages = new[] { new { role = "user", content = text } } }),
        };
        request.Headers.Authorization = new("Bearer", apiKey);
        try
        {
            return await gateway.Http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The gateway itself never went away; count it as not answered.
            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    private string Describe() => string.Join("\n", _hosts.Select(h => h.Describe()));

    public async Task InitializeAsync()
    {
        _redis = TestRedis.Address(output);
        _db = await TestPostgres.CreateDatabaseAsync(output);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, "config.yaml"), """
            model_list:
              - model_name: priced-mock
                litellm_params: { model: mock/priced }
                model_info: { id: priced-mock-1, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
            """);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            output.WriteLine(host.Describe());
            host.Dispose();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
