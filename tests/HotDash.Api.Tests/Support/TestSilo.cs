using System.Net.Sockets;
using HotDash.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDash.Api.Tests.Support;

/// <summary>
/// A real Orleans silo in the test process with the HotDash grains, localhost clustering on free ports
/// and the default cluster/service ids, so a gateway configured with its gateway port joins it.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost host;

    private TestSilo(IHost host, int gatewayPort)
    {
        this.host = host;
        GatewayPort = gatewayPort;
    }

    public int GatewayPort { get; }

    public static async Task<TestSilo> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort, gatewayPort, null, "hotdash", "hotdash")
                .AddMemoryGrainStorageAsDefault());
            _ = typeof(GatewayRegistryGrain); // the grains' assembly must be loaded for Orleans to find them
            var host = builder.Build();
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await host.StartAsync(cts.Token);
                return new TestSilo(host, gatewayPort);
            }
            catch (Exception e) when (attempt < 3 && IsPortTaken(e))
            {
                // Another fixture took one of the ports between probing and binding: try fresh ones.
                host.Dispose();
            }
        }
    }

    private static bool IsPortTaken(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || e.InnerException is { } inner && IsPortTaken(inner)
        || e is AggregateException a && a.InnerExceptions.Any(IsPortTaken);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await host.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown is best effort; the process ends anyway.
        }
        host.Dispose();
    }
}
