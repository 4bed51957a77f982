using System.Net;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>The silo on embedded defaults: localhost clustering, memory grain storage.</summary>
public sealed class SiloHealthTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<HostProcess> _silos = [];

    [Fact]
    public async Task Liveliness_EmbeddedDefaults_AnswersImAlive()
    {
        var silo = Start();
        await silo.WaitUntilReadyAsync(StartTimeout);

        using var response = await Http.GetAsync(new Uri(silo.BaseAddress, "/health/liveliness"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"I'm alive!\"", body);
    }

    [Fact]
    public async Task Readiness_EmbeddedDefaults_HealthyOnMemoryStorage()
    {
        var silo = Start();

        var report = await silo.WaitUntilReadyAsync(StartTimeout);

        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("silo", report.GetProperty("role").GetString());
        Assert.Equal("active", report.GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal($"127.0.0.1:{silo.Ports.Silo}", report.GetProperty("silo").GetProperty("address").GetString());
        Assert.Equal(1, report.GetProperty("cluster").GetProperty("active_silos").GetInt32());
        Assert.Equal("memory", report.GetProperty("grain_storage").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("redis").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("db").ValueKind);
    }

    [Fact]
    public async Task Sigterm_EmbeddedDefaults_StopsGracefullyWithExitCodeZero()
    {
        var silo = Start();
        await silo.WaitUntilReadyAsync(StartTimeout);

        silo.Terminate();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains("stopping: leaving the cluster", silo.StandardOutput);
        Assert.Contains("stopped", silo.StandardOutput);
    }

    [Fact]
    public async Task Startup_EmbeddedDefaults_ConsoleStaysQuiet()
    {
        var silo = Start();
        await silo.WaitUntilReadyAsync(StartTimeout);

        // Orleans and ASP.NET Core log only warnings; HotDash says what it runs on and where it listens.
        Assert.DoesNotContain("info: Orleans", silo.StandardOutput);
        Assert.DoesNotContain("info: Microsoft", silo.StandardOutput);
        Assert.Contains("HotDash silo on embedded defaults", silo.StandardOutput);
        Assert.Contains($"silo health on http://127.0.0.1:{silo.Ports.Http}", silo.StandardOutput);
    }

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine(silo.Describe());
            silo.Dispose();
        }
    }

    private HostProcess Start()
    {
        var silo = HostProcess.StartSilo(HostPorts.Free(), $"test-{Guid.NewGuid():N}");
        _silos.Add(silo);
        return silo;
    }
}
