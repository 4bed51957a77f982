using System.Net.Http.Headers;
using HotDash.Grains;
using IWebServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace HotDash.Api.Tests.Quotas.Postgres;

/// <summary>
/// The gateway on the durable stack: an in-process silo whose registry and spend ledger are a fresh PostgreSQL
/// database and whose grain storage (quota state) is the real Redis, the gateway's own Program on a real port (so a
/// client that goes away is seen as one), the fake upstream, and mock models (fast, slow, priced). Keys and teams
/// are made through the management HTTP API with the master key, so the whole path is the one production takes.
/// </summary>
internal sealed class DurableQuotaGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-durable-quota-master";

    private readonly string directory;
    private readonly string redisPrefix;
    private readonly ConnectionMultiplexer redis;
    private readonly TestSilo silo;
    private readonly GatewayFactory factory;
    private readonly Uri baseAddress;

    private DurableQuotaGateway(string directory, string redisPrefix, ConnectionMultiplexer redis, TestDatabase database, FakeUpstream fake, TestSilo silo, GatewayFactory factory, Uri baseAddress)
    {
        this.directory = directory;
        this.redisPrefix = redisPrefix;
        this.redis = redis;
        Database = database;
        Fake = fake;
        this.silo = silo;
        this.factory = factory;
        this.baseAddress = baseAddress;
    }

    /// <summary>The registry's database, for checks of what reached the tables.</summary>
    public TestDatabase Database { get; }

    public FakeUpstream Fake { get; }

    public IGrainFactory Grains => silo.Grains;

    /// <summary>
    /// Starts the stack; null when PostgreSQL or Redis is missing and the test should return (under <c>CI=true</c>
    /// the missing server fails the test instead).
    /// </summary>
    public static async Task<DurableQuotaGateway?> StartAsync(ITestOutputHelper output)
    {
        if (TestRedis.Address(output) is not { } address)
        {
            return null;
        }
        if (await TestPostgres.CreateDatabaseAsync(output) is not { } database)
        {
            return null;
        }
        var directory = Path.Combine(Path.GetTempPath(), "hotdash-durable-quota-" + Guid.NewGuid().ToString("n")[..12]);
        // Our own key space: state left by earlier runs or by other tests on the shared Redis never meets this silo.
        var redisPrefix = "hotdash-test-" + Guid.NewGuid().ToString("n");
        ConnectionMultiplexer? redis = null;
        FakeUpstream? fake = null;
        TestSilo? silo = null;
        GatewayFactory? factory = null;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(address);
            fake = await FakeUpstream.StartAsync();
            silo = await TestSilo.StartAsync(
                s =>
                {
                    s.AddRedisGrainStorage("hotdash", o =>
                    {
                        o.ConfigurationOptions = ConfigurationOptions.Parse(address);
                        o.GetStorageKey = (grainType, grainId) => $"{redisPrefix}/state/{grainId}/{grainType}";
                    });
                    Tracing.RecordingTraceAggregatorGrain.Use(s); // the gateway's traces are acknowledged, so it stops at once
                },
                registryConnectionString: database.ConnectionString);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "config.yaml");
            await File.WriteAllTextAsync(path, $$"""
                general_settings:
                  master_key: {{MasterKey}}
                litellm_settings:
                  drop_params: true
                model_list:
                  - model_name: quota-chat
                    litellm_params: { model: mock/quota-chat }
                    model_info: { id: quota-chat-id }
                  - model_name: slow-chat
                    litellm_params: { model: mock/slow-chat, mock_latency_ms: 120000 }
                    model_info: { id: slow-chat-id }
                  - model_name: priced-chat
                    litellm_params: { model: mock/priced-chat }
                    model_info: { id: priced-chat-id, input_cost_per_token: 0.001, output_cost_per_token: 0.002 }
                  - model_name: upstream-chat
                    litellm_params: { model: openai/gpt-fake-echo, api_base: "{{fake.ApiBase}}", api_key: sk-upstream }
                    model_info: { id: upstream-chat-id }
                hotdash:
                  bind_address: 127.0.0.1
                  api_port: 0
                  orleans_gateway_port: {{silo.GatewayPort}}
                """);
            // Ledger checks wait for rows: ship them sooner than the 1 s default.
            factory = new GatewayFactory(path, realPort: true, new Dictionary<string, string?> { ["HotDash:Spend:FlushInterval"] = "00:00:00.050" });
            // The gateway host waits for the silo forever (RetryForeverFilter); a test run must not.
            await Task.Run(factory.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
            var listening = factory.Services.GetRequiredService<IWebServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DurableQuotaGateway(directory, redisPrefix, redis, database, fake, silo, factory, new Uri(listening.TrimEnd('/') + "/"));
        }
        catch
        {
            // Nothing of a half-started stack outlives the failure (the database above all).
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
            if (fake is not null)
            {
                await fake.DisposeAsync();
            }
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh client without any key.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>POSTs <paramref name="json"/> to a management endpoint with the master key; asserts 200 and answers the body.</summary>
    public async Task<JsonElement> ManageAsync(string path, string json)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonBody.Of(json),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", MasterKey) },
        };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A new team made by <c>/team/new</c> with <paramref name="fields"/> (JSON members, or empty); answers its id.</summary>
    public async Task<string> NewTeamAsync(string fields = "")
    {
        var team = "team-" + Guid.NewGuid().ToString("n")[..12];
        var body = await ManageAsync("/team/new", $$"""{"team_id": "{{team}}"{{(fields.Length == 0 ? "" : ", " + fields)}}}""");
        Assert.Equal(team, body.GetProperty("team_id").GetString());
        return team;
    }

    /// <summary>A new key made by <c>/key/generate</c> with <paramref name="fields"/>; answers the key and its token (hash).</summary>
    public async Task<(string Key, string Token)> GenerateKeyAsync(string fields)
    {
        var body = await ManageAsync("/key/generate", "{" + fields + "}");
        return (body.GetProperty("key").GetString()!, body.GetProperty("token").GetString()!);
    }

    /// <summary>Sends a small chat request to <paramref name="model"/> with <paramref name="key"/>.</summary>
    public async Task<HttpResponseMessage> ChatAsync(string key, string model = "quota-chat", string extra = "", CancellationToken ct = default)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonBody.Of($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello durable quota"}]{{extra}}}"""),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
        var response = await client.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }

    /// <summary>Waits until the quota grain <paramref name="subject"/> (see <see cref="QuotaSubjects"/>) satisfies <paramref name="condition"/>.</summary>
    public async Task<QuotaStatus> QuotaWhenAsync(string subject, Func<QuotaStatus, bool> condition)
    {
        var quota = silo.Grains.GetGrain<IQuotaGrain>(subject);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await quota.GetStatus();
            if (condition(status))
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the quota {subject} never reached the expected state: {status}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="sql"/> (a count) answers at least <paramref name="expected"/>; answers the last count.</summary>
    public async Task<long> CountWhenAsync(string sql, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var count = await Database.ScalarAsync<long>(sql);
            if (count >= expected)
            {
                return count;
            }
            Assert.True(DateTime.UtcNow < deadline, $"expected {expected} from `{sql}`, still {count}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until this silo's Redis key space holds a grain state whose key contains <paramref name="fragment"/>.</summary>
    public async Task RedisStateWhenAsync(string fragment)
    {
        var server = redis.GetServers()[0];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        // The quota grain writes behind its turns (paced), so the state arrives shortly after the change.
        while (!await AnyAsync(server.KeysAsync(pattern: redisPrefix + "/*"), k => k.ToString().Contains(fragment, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no grain state for {fragment} under {redisPrefix} in Redis");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> AnyAsync(IAsyncEnumerable<RedisKey> keys, Func<RedisKey, bool> match)
    {
        await foreach (var key in keys)
        {
            if (match(key))
            {
                return true;
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        await silo.DisposeAsync();
        await Fake.DisposeAsync();
        // Leave the shared Redis as we found it (the silo has written its deactivations by now).
        var db = redis.GetDatabase();
        foreach (var server in redis.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: redisPrefix + "/*"))
            {
                await db.KeyDeleteAsync(key);
            }
        }
        await redis.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
