using HotDash.Grains.Storage;
using System.Net.Sockets;
using HotDash.Grains;
using HotDash.Grains.Registry;
using HotDash.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace HotDash.Testing;

/// <summary>
/// A real Orleans silo in the test process, configured as the HotDash silo is on embedded defaults: the HotDash
/// grains, localhost clustering on free 127.0.0.1 ports with the default service and cluster ids (so an Orleans
/// client given its gateway port joins it), memory grain storage, and the registry: embedded (grain state) by
/// default, or PostgreSQL when a connection string is given. Callers add what only they need (the Orleans
/// Dashboard's silo side, a fake clock) through <c>configure</c>.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    /// <summary>The silo's name, as membership, readiness reports and the Orleans Dashboard show it.</summary>
    public const string Name = "hotdash-test-silo";

    /// <summary>The service and cluster id HotDash uses when none is configured.</summary>
    public const string ClusterId = "hotdash";

    // The grain storage name the HotDash grains ask for (SiloHostingExtensions.GrainStorageName).
    private const string GrainStorageName = "hotdash";

    private readonly IHost _host;

    private TestSilo(IHost host, int siloPort, int gatewayPort)
    {
        _host = host;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    /// <summary>The port Orleans clients (the gateway, the dashboard) connect to.</summary>
    public int GatewayPort { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts the silo.</summary>
    /// <param name="configure">Anything more the test needs on the silo (its services included: a later registration wins).</param>
    /// <param name="registryConnectionString">
    /// An Npgsql connection string (e.g. <c>TestDatabase.ConnectionString</c>): the registry runs on the PostgreSQL
    /// store over that database, migrated first, as the silo does with a database. <see langword="null"/>: the embedded registry.
    /// </param>
    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder>? configure = null, string? registryConnectionString = null)
    {
        if (registryConnectionString is not null)
        {
            await using var migrating = new RegistryDatabase(registryConnectionString);
            await new RegistryMigrator(migrating, NullLogger<RegistryMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }
        for (var attempt = 1; ; attempt++)
        {
            var (siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next());
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Services.TryAddSingleton(TimeProvider.System);
            // The host disposes the database (registered by a factory), so each attempt gets its own.
            builder.Services.AddHotDashRegistry(registryConnectionString is null ? null : new RegistryDatabase(registryConnectionString));
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, primarySiloEndpoint: null, serviceId: ClusterId, clusterId: ClusterId);
                silo.Configure<SiloOptions>(o => o.SiloName = Name);
                silo.AddMemoryGrainStorageAsDefault();
                silo.AddMemoryGrainStorage(GrainStorageName);
                silo.Services.AddHotDashGrainStateSerializer();
                configure?.Invoke(silo);
            });
            _ = typeof(GatewayRegistryGrain); // the grains' assembly must be loaded for Orleans to find them
            var host = builder.Build();
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await host.StartAsync(cts.Token);
                return new TestSilo(host, siloPort, gatewayPort);
            }
            catch (Exception e) when (attempt < 3 && IsPortTaken(e))
            {
                // Another fixture took one of the ports between probing and binding: try fresh ones.
                await DisposeHostAsync(host);
            }
        }
    }

    private static bool IsPortTaken(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || e.InnerException is { } inner && IsPortTaken(inner)
        || e is AggregateException a && a.InnerExceptions.Any(IsPortTaken);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown is best effort; the process ends anyway.
        }
        await DisposeHostAsync(_host);
    }

    // Asynchronously: the registry database is IAsyncDisposable only, and a synchronous dispose of the container refuses it.
    private static async ValueTask DisposeHostAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
