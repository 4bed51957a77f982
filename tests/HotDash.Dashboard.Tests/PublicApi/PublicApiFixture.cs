using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using HotDash.Grains;
using Microsoft.AspNetCore.Mvc.Testing;
using Orleans.Dashboard;

namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>
/// A real silo with the trace pipeline on the embedded stores (DuckDB, folder archive), two projects with one API key
/// pair each registered through the registry grain, and the real dashboard in memory (<see cref="WebApplicationFactory{TEntryPoint}"/>)
/// connected to that silo.
/// </summary>
public sealed class PublicApiFixture : IAsyncLifetime
{
    public const string PublicKey = "pk-lf-hotdash-test-public";
    public const string SecretKey = "sk-lf-hotdash-test-secret";
    public const string OtherProjectId = "other-project";
    public const string OtherPublicKey = "pk-lf-hotdash-other-public";
    public const string OtherSecretKey = "sk-lf-hotdash-other-secret";

    // Settings the test runner's environment might carry that would point the dashboard elsewhere.
    private static readonly string[] Cleared =
        ["HOTDASH_CONFIG", "HOTDASH_GATEWAY_URL", "HOTDASH_CLUSTER_ID", "HOTDASH_SERVICE_ID", "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL"];

    private TestTracing? _tracing;
    private TestSilo? _silo;
    private WebApplicationFactory<Program>? _dashboard;

    public TestSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public WebApplicationFactory<Program> Dashboard => _dashboard ?? throw new InvalidOperationException("not started");

    /// <summary>The key's project.</summary>
    public string ProjectId => DefaultProject.Id;

    public async Task InitializeAsync()
    {
        _tracing = await TestTracing.CreateAsync();
        _silo = await TestSilo.StartAsync(silo =>
        {
            silo.AddDashboard();
            _tracing.Configure(silo);
        });
        var registry = _silo.Grains.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);
        var actor = new AuditActor("public-api-tests", "");
        var now = DateTimeOffset.UtcNow;
        AssertOk(await registry.CreateProjectKey(ProjectApiKeys.Define(PublicKey, SecretKey, DefaultProject.Id, "tests", now), actor));
        AssertOk(await registry.CreateProject(new ProjectDefinition(OtherProjectId, "Other", now), actor));
        AssertOk(await registry.CreateProjectKey(ProjectApiKeys.Define(OtherPublicKey, OtherSecretKey, OtherProjectId, null, now), actor));

        foreach (var name in Cleared)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable("HOTDASH_BIND", "127.0.0.1");
        Environment.SetEnvironmentVariable("HOTDASH_DASHBOARD_PORT", "0");
        Environment.SetEnvironmentVariable("HOTDASH_ORLEANS_GATEWAY_PORT", _silo.GatewayPort.ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("HOTDASH_API_PORT", FreePorts.Next().ToString(CultureInfo.InvariantCulture));
        _dashboard = new WebApplicationFactory<Program>();
        // Builds and starts the host now: its start waits for the Orleans client to connect.
        using var client = _dashboard.CreateClient();
    }

    /// <summary>A client with Basic <paramref name="publicKey"/>:<paramref name="secretKey"/> (the test project's pair by default).</summary>
    public HttpClient Client(string publicKey = PublicKey, string secretKey = SecretKey)
    {
        var client = Dashboard.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(publicKey, secretKey);
        return client;
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => Dashboard.CreateClient();

    public static AuthenticationHeaderValue Basic(string publicKey, string secretKey) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{publicKey}:{secretKey}")));

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (_tracing is not null)
        {
            await _tracing.DisposeAsync();
        }
    }

    private static void AssertOk(RegistryResult result) => Assert.True(result.IsOk, $"registry refused: {result}");
}
