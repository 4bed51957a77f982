using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>
/// A real Orleans silo in the test process, configured as the HotDash silo is on embedded defaults (localhost
/// clustering on 127.0.0.1, memory storage, the Orleans Dashboard's silo side, the HotDash grains), on free ports.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    public const string Name = "dashboard-test-silo";
    public const string ClusterId = "hotdash";

    private readonly IHost _host;

    private TestSilo(IHost host, int siloPort, int gatewayPort)
    {
        _host = host;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    /// <summary>The port clients (the dashboard) connect to.</summary>
    public int GatewayPort { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync()
    {
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primarySiloEndpoint: null, serviceId: "hotdash", clusterId: ClusterId);
            silo.Configure<SiloOptions>(o => o.SiloName = Name);
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage("hotdash");
            silo.AddDashboard();
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return new TestSilo(host, siloPort, gatewayPort);
    }

    public string GatewayPortText => GatewayPort.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
