using System.Net.Http.Headers;
using HotDash.Grains;
using Orleans;

namespace HotDash.Api.Tests.Management;

/// <summary>
/// A gateway under test for the management API: an in-process silo (embedded registry, or PostgreSQL when a
/// connection string is given), and the gateway's own Program in memory with a master key and the built-in mock
/// models. Follows <see cref="GatewayFixture"/>, which cannot start its silo over PostgreSQL.
/// </summary>
public sealed class ManagementGateway : IAsyncDisposable
{
    public const string MasterKey = "sk-management-master";

    private readonly string directory;
    private readonly TestSilo silo;
    private readonly GatewayFactory factory;

    private ManagementGateway(string directory, TestSilo silo, GatewayFactory factory, HttpClient client, string? masterKey)
    {
        this.directory = directory;
        this.silo = silo;
        this.factory = factory;
        Client = client;
        Key = masterKey;
    }

    /// <summary>A client sending the master key (when there is one).</summary>
    public HttpClient Client { get; }

    /// <summary>The master key, or null for an open gateway.</summary>
    public string? Key { get; }

    public IGrainFactory Grains => silo.Grains;

    /// <summary>The registry the management API writes to, for checks behind its back.</summary>
    public IRegistryGrain Registry => silo.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <param name="litellmSettings">Lines under <c>litellm_settings:</c>, indented by two spaces.</param>
    /// <param name="registryConnectionString">PostgreSQL for the registry; null for the embedded one.</param>
    /// <param name="masterKey">The master key; null: an open gateway.</param>
    public static async Task<ManagementGateway> StartAsync(string litellmSettings = "", string? registryConnectionString = null, string? masterKey = MasterKey)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hotdash-management-tests-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(directory);
        var silo = await TestSilo.StartAsync(s => Tracing.RecordingTraceAggregatorGrain.Use(s), registryConnectionString); // traces acknowledged: a quick stop
        var path = Path.Combine(directory, "config.yaml");
        var general = masterKey is null ? "" : $"general_settings:\n  master_key: {masterKey}\n";
        await File.WriteAllTextAsync(path, general + $"""
            litellm_settings:
              drop_params: true
            {litellmSettings}
            hotdash:
              bind_address: 127.0.0.1
              api_port: 0
              orleans_gateway_port: {silo.GatewayPort}
            """);
        var factory = new GatewayFactory(path, realPort: false);
        // The gateway host waits for the silo forever (RetryForeverFilter); a test run must not.
        await Task.Run(factory.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        if (masterKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", masterKey);
        }
        return new ManagementGateway(directory, silo, factory, client, masterKey);
    }

    /// <summary>A fresh client without any key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>POSTs <paramref name="json"/> with the master key; asserts 200 and answers the parsed body.</summary>
    public async Task<JsonElement> PostOkAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(HttpMethod.Post, path, json, headers);
        return await OkAsync(response);
    }

    /// <summary>GETs <paramref name="pathAndQuery"/> with the master key; asserts 200 and answers the parsed body.</summary>
    public async Task<JsonElement> GetOkAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        return await OkAsync(response);
    }

    /// <summary>POSTs and asserts an OpenAI-shaped error with <paramref name="status"/> naming <paramref name="param"/>; answers the error object.</summary>
    public async Task<JsonElement> PostErrorAsync(string path, string json, HttpStatusCode status, string? param)
    {
        using var response = await SendAsync(HttpMethod.Post, path, json, []);
        return await OpenAiAssert.ErrorAsync(response, status, param);
    }

    /// <summary>GETs and asserts an OpenAI-shaped error.</summary>
    public async Task<JsonElement> GetErrorAsync(string pathAndQuery, HttpStatusCode status, string? param)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        return await OpenAiAssert.ErrorAsync(response, status, param);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = JsonBody.Of(json);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Client.SendAsync(request);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A unique name for this test's objects, so tests sharing a gateway never meet.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("n")[..10]}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        await silo.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
