using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Orleans;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace HotDash.Api.Tests.Support;

/// <summary>
/// One gateway under test: a real silo, optionally the fake upstream, and the gateway host built from a
/// YAML config the subclass writes. Each test class gets its own (xunit class fixture), so classes run in
/// parallel without sharing state.
/// </summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hotdash-api-tests-" + Guid.NewGuid().ToString("n")[..12]);
    private TestSilo? silo;
    private GatewayFactory? factory;
    private HttpClient? sdkHttp;

    /// <summary>The master key the config sets, if any; every client of this fixture sends it.</summary>
    protected virtual string? MasterKey => null;

    protected virtual bool NeedsFakeUpstream => false;

    protected virtual bool RealPort => false;

    /// <summary>Host settings beyond the config file (e.g. <c>HotDash:Spend:*</c> options).</summary>
    protected virtual IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>();

    /// <summary>
    /// Anything more this fixture's silo needs. By default its trace aggregator is the recording test grain, which
    /// takes the gateway's traces and discards them (the real one needs stores a plain test silo has not).
    /// </summary>
    protected virtual void ConfigureSilo(Orleans.Hosting.ISiloBuilder silo) => Tracing.RecordingTraceAggregatorGrain.Use(silo);

    /// <summary>
    /// <c>hotdash.cluster_id</c> and <c>service_id</c>, when the fixture's silo joins a cluster of its own (e.g. one
    /// clustered through Redis, which a config naming Redis makes the gateway use); null: the test silo's defaults.
    /// </summary>
    protected virtual string? ClusterId => null;

    /// <summary>The config.yaml body without the <c>hotdash:</c> section (the fixture adds it).</summary>
    protected abstract string ConfigYaml(string? upstreamApiBase);

    internal FakeUpstream Fake => fake ?? throw new InvalidOperationException("This fixture has no fake upstream.");

    private FakeUpstream? fake;

    /// <summary>The gateway's base address (<c>http://localhost/</c> in memory, or the real Kestrel address).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client with the master key (when there is one).</summary>
    public HttpClient Client { get; private set; } = null!;

    public string ApiKey => MasterKey ?? "sk-anything";

    /// <summary>The in-process silo's grains, to set up keys, teams and users (IRegistryGrain) and read quotas and the ledger.</summary>
    public IGrainFactory Grains => (silo ?? throw new InvalidOperationException("The silo is not running.")).Grains;

    /// <summary>The gateway host's services.</summary>
    public IServiceProvider Services => (factory ?? throw new InvalidOperationException("The gateway is not running.")).Services;

    /// <summary>Stops the silo under the running gateway (for tests of what the gateway does without a cluster).</summary>
    public async Task StopSiloAsync()
    {
        if (silo is { } running)
        {
            silo = null;
            await running.DisposeAsync();
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        if (NeedsFakeUpstream)
        {
            fake = await FakeUpstream.StartAsync();
        }
        silo = await TestSilo.StartAsync(ConfigureSilo);
        var path = Path.Combine(directory, "config.yaml");
        await File.WriteAllTextAsync(path, ConfigYaml(fake?.ApiBase) + $"""

            hotdash:
              bind_address: 127.0.0.1
              api_port: 0
              orleans_gateway_port: {silo.GatewayPort}
            """ + (ClusterId is null ? "" : $"\n  cluster_id: {ClusterId}\n  service_id: {ClusterId}"));
        factory = new GatewayFactory(path, RealPort, HostSettings);
        // The gateway host waits for the silo forever (RetryForeverFilter); a test run must not.
        await Task.Run(factory.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
        if (RealPort)
        {
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            BaseAddress = new Uri(address.TrimEnd('/') + "/");
            Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        }
        else
        {
            Client = factory.CreateClient();
            Client.Timeout = TimeSpan.FromSeconds(30);
            BaseAddress = Client.BaseAddress!;
        }
        if (MasterKey is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);
        }
        sdkHttp = CreateAnonymousClient(); // the SDK sends its own key
    }

    /// <summary>A fresh client without any key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        if (RealPort)
        {
            return new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        }
        var client = factory!.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>Options for the official OpenAI .NET SDK pointed at this gateway (no SDK retries: tests see each answer).</summary>
    public OpenAIClientOptions SdkOptions() => new()
    {
        Endpoint = new Uri(BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(sdkHttp!),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    public ChatClient Chat(string model, string? key = null) => new(model, new ApiKeyCredential(key ?? ApiKey), SdkOptions());

    public EmbeddingClient Embeddings(string model) => new(model, new ApiKeyCredential(ApiKey), SdkOptions());

    public OpenAIModelClient Models() => new(new ApiKeyCredential(ApiKey), SdkOptions());

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        sdkHttp?.Dispose();
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
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
