using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace HotDash.Testing;

/// <summary>
/// A whole HotDash as <c>./hotdash up</c> runs it with nothing installed: one silo on its embedded stores (localhost
/// clustering, memory grain state, embedded DuckDB analytics, folder archive), one gateway with a master key and one
/// dashboard with a UI login, each the built dll on free ports of 127.0.0.1, all reading one temporary config YAML.
/// The three start at once (the clients retry the cluster until the silo is up), which is what keeps the start short on
/// two cores. Disposing kills them and deletes the config folder.
/// </summary>
public sealed class EmbeddedDeployment : IDisposable
{
    /// <summary>The gateway's master key (also the dashboard's key for the management API).</summary>
    public const string MasterKey = "sk-embedded-master";

    /// <summary>The dashboard login.</summary>
    public const string UiUsername = "tester";

    /// <summary>The dashboard password.</summary>
    public const string UiPassword = "browser-test-password";

    /// <summary>The priced mock model group of <see cref="DefaultConfig"/>.</summary>
    public const string PricedModel = "priced-mock";

    /// <summary>
    /// A priced mock deployment, dear enough that one short request costs cents (so a spend shown with four decimals
    /// moves), with a little latency so a generation's latency is never 0 ms.
    /// </summary>
    public const string DefaultConfig = """
        model_list:
          - model_name: priced-mock
            litellm_params: { model: mock/priced, mock_latency_ms: 15 }
            model_info: { id: priced-mock-1, input_cost_per_token: 0.001, output_cost_per_token: 0.002 }
        """;

    private readonly List<HostProcess> _hosts = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotdash-embedded-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";

    private EmbeddedDeployment()
    {
    }

    public HostProcess Silo { get; private set; } = null!;

    public HostProcess Gateway { get; private set; } = null!;

    public HostProcess Dashboard { get; private set; } = null!;

    /// <summary>
    /// Writes <paramref name="configYaml"/> (default <see cref="DefaultConfig"/>), starts the three processes together and
    /// waits until each answers readiness (the gateway's and the dashboard's readiness include a live cluster call).
    /// A port handed out free can be taken before a host binds it (the kernel gives it to another process's outgoing
    /// connection), so when a host exits on a taken port the three start again on fresh ports, up to three times.
    /// </summary>
    public static async Task<EmbeddedDeployment> StartAsync(TimeSpan timeout, string? configYaml = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var deployment = new EmbeddedDeployment();
            try
            {
                await deployment.StartOnceAsync(timeout, configYaml, environment);
                return deployment;
            }
            catch (Exception) when (attempt < 3 && deployment.ExitedOnTakenPort)
            {
                deployment.Dispose();
            }
            catch
            {
                deployment.Dispose();
                throw;
            }
        }
    }

    private bool ExitedOnTakenPort =>
        _hosts.Any(h => h.StandardError.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private async Task StartOnceAsync(TimeSpan timeout, string? configYaml, IReadOnlyDictionary<string, string>? environment)
    {
        Directory.CreateDirectory(_directory);
        var config = Path.Combine(_directory, "config.yaml");
        await File.WriteAllTextAsync(config, configYaml ?? DefaultConfig);
        var settings = new Dictionary<string, string>
        {
            ["LITELLM_MASTER_KEY"] = MasterKey,
            ["HOTDASH_CONFIG"] = config,
            ["UI_USERNAME"] = UiUsername,
            ["UI_PASSWORD"] = UiPassword,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }
        var silo = HostPorts.Free();
        var apiPort = FreePorts.Next();
        Silo = Track(HostProcess.StartSilo(silo, _clusterId, settings));
        Gateway = Track(HostProcess.StartGateway(apiPort, silo.Gateway, _clusterId, settings));
        Dashboard = Track(HostProcess.StartDashboard(FreePorts.Next(), silo.Gateway, apiPort, _clusterId, settings));
        // The first failure ends the wait: with the silo gone the clients would only wait out the timeout.
        var waits = new List<Task> { Silo.WaitUntilReadyAsync(timeout), Gateway.WaitUntilReadyAsync(timeout), Dashboard.WaitUntilReadyAsync(timeout) };
        while (waits.Count > 0)
        {
            var done = await Task.WhenAny(waits);
            await done;
            waits.Remove(done);
        }
    }

    private HostProcess Track(HostProcess host)
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>A chat completion through the gateway with <paramref name="apiKey"/>; fails the test unless it is a 200.</summary>
    public async Task<JsonElement> ChatAsync(string apiKey, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await Gateway.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/v1/chat/completions: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>The three processes' output, for failure messages.</summary>
    public string Describe() => string.Join("\n", _hosts.Select(h => h.Describe()));

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
