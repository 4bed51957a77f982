using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>A silo that cannot run says why in one line and exits with code 2 (bad config, port in use) or 1.</summary>
public sealed class SiloStartupErrorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly List<HostProcess> _silos = [];
    private readonly List<string> _files = [];

    [Fact]
    public async Task Startup_ModelWithoutLitellmModel_ExitsWithCode2NamingTheKey()
    {
        var config = WriteConfig("""
            model_list:
              - model_name: broken
                litellm_params:
                  api_key: sk-test
            """);

        var silo = Start(HostPorts.Free(), args: ["--config", config]);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains("model_list[0].litellm_params.model", silo.StandardError);
    }

    [Theory]
    [InlineData("silo_port")]
    [InlineData("orleans_silo_port")]
    [InlineData("orleans_gateway_port")]
    public async Task Startup_PortInUse_ExitsWithCode2NamingThePort(string name)
    {
        var ports = HostPorts.Free();
        var taken = name switch
        {
            "silo_port" => ports.Http,
            "orleans_silo_port" => ports.Silo,
            _ => ports.Gateway,
        };
        using var holder = new TcpListener(IPAddress.Loopback, taken);
        holder.Start();

        var silo = Start(ports);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains($"port {taken} ({name}) is already in use", silo.StandardError);
    }

    [Theory]
    [InlineData("orleans_silo_port")]
    [InlineData("orleans_gateway_port")]
    public async Task Startup_OrleansPortHeldByAnotherSilo_ExitsWithCode2NamingThePort(string name)
    {
        // Orleans listens with SO_REUSEPORT, so a plain bind check would let a second silo share the port.
        var first = Start(HostPorts.Free());
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var fresh = HostPorts.Free();
        var ports = name == "orleans_silo_port" ? fresh with { Silo = first.Ports.Silo } : fresh with { Gateway = first.Ports.Gateway };
        var taken = name == "orleans_silo_port" ? first.Ports.Silo : first.Ports.Gateway;

        var second = Start(ports);
        var exitCode = await second.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{second.Describe()}");
        Assert.Contains($"port {taken} ({name}) is already in use", second.StandardError);
    }

    [Fact]
    public async Task Startup_RedisUnreachable_ExitsWithCode1NamingRedis()
    {
        var deadRedis = FreePorts.Next();

        var silo = Start(HostPorts.Free(), new Dictionary<string, string> { ["REDIS_URL"] = $"redis://127.0.0.1:{deadRedis}" });
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{silo.Describe()}");
        Assert.Contains($"Redis at 127.0.0.1:{deadRedis} (from REDIS_URL) is unreachable", silo.StandardError);
        Assert.DoesNotContain("Unhandled exception", silo.StandardError);
    }

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine(silo.Describe());
            silo.Dispose();
        }
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private HostProcess Start(HostPorts ports, Dictionary<string, string>? environment = null, params string[] args)
    {
        var silo = HostProcess.StartSilo(ports, $"test-{Guid.NewGuid():N}", environment, args);
        _silos.Add(silo);
        return silo;
    }

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hotdash-silo-test-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        _files.Add(path);
        return path;
    }
}
