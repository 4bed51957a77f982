using HotDash.Hosting.Health;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HotDash.Grains.Registry;
using HotDash.Hosting.Configuration;
using HotDash.Hosting.Startup;
using HotDash.Registry;
using HotDash.Silo.Health;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using HotDash.Grains.Storage;
using ConfigurationOptions = StackExchange.Redis.ConfigurationOptions;

namespace HotDash.Silo.Hosting;

/// <summary>Wires the silo process: Kestrel for health, the Orleans silo, its clustering and grain storage.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The grain storage name grains use in <c>[PersistentState(..., "hotdash")]</c>; also the default storage.</summary>
    public const string GrainStorageName = "hotdash";

    /// <summary>Exit code when the configuration was fine but the silo could not start (a store unreachable, ...).</summary>
    public const int StartFailedExitCode = 1;

    /// <summary>
    /// How long a graceful stop may take. Orleans deactivates every grain on the way out (the trace aggregators flush
    /// their buffers to the archive and the writer shards then), within <see cref="DeactivationTimeout"/> each; the host's
    /// default of 30 s would cut a slow flush short together with the cluster leave.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(45);

    /// <summary>How long one grain's deactivation (an aggregator's last flush) may take.</summary>
    public static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Where the Orleans endpoints listen: loopback unless the silo advertises an address to other hosts.</summary>
    public static string OrleansBindAddress(HotDashConfig config) =>
        config.Infrastructure.RedisConnectionString is not null && config.HotDash.AdvertisedAddress is not null ? "0.0.0.0" : "127.0.0.1";

    /// <summary>Checks the HTTP and Orleans ports before anything starts, printing the one in use.</summary>
    public static bool PortsAreFree(HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hd = config.HotDash;
        (string Name, int Port)[] orleansPorts = [("orleans_silo_port", hd.OrleansSiloPort), ("orleans_gateway_port", hd.OrleansGatewayPort)];
        if (!HotDashStartup.PortsAreFree("silo", hd.BindAddress, ("silo_port", hd.SiloHttpPort))
            || !HotDashStartup.PortsAreFree("silo", OrleansBindAddress(config), orleansPorts))
        {
            return false;
        }
        // Another silo's Orleans ports pass the bind check (SO_REUSEPORT); a connection attempt finds them.
        foreach (var (name, port) in orleansPorts)
        {
            if (PortProbe.IsListening(PortProbe.ProbeAddress(OrleansBindAddress(config)), port))
            {
                Console.Error.WriteLine($"hotdash silo: port {port} ({name}) is already in use (another silo?); stop what holds it or set another port (see README: hotdash.{name} / HOTDASH_* variables)");
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Adds everything the silo process runs: quiet logging, Kestrel on <c>bind_address:silo_port</c>, the
    /// Orleans silo (Redis clustering and grain storage when Redis is configured, else localhost clustering
    /// and memory storage), the Orleans Dashboard's silo side and the readiness probe. With a database configured,
    /// the registry (PostgreSQL) too, and <see cref="RunSiloAsync"/> migrates its schema before the silo starts;
    /// without one, the embedded registry (grain state).
    /// </summary>
    public static WebApplicationBuilder AddHotDashSilo(this WebApplicationBuilder builder, HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hd = config.HotDash;

        builder.Logging.AddHotDashConsole();

        builder.WebHost.UseUrls($"http://{UrlHost(hd.BindAddress)}:{hd.SiloHttpPort}");

        builder.Services.AddSingleton(config);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisProbe>();
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.AddSingleton(sp => new DatabaseProbe(sp.GetService<RegistryDatabase>()));
        RegistryDatabase? registryDatabase = null;
        if (config.Infrastructure.Database is { } database)
        {
            // Nothing connects until first use. Registered by a factory, not as an instance: the container then
            // disposes it (and its pool) at shutdown.
            registryDatabase = new RegistryDatabase(database.ConnectionString, hd.DbSchema);
            builder.Services.AddSingleton(_ => registryDatabase);
            builder.Services.AddSingleton<RegistryMigrator>();
            builder.Services.AddSingleton<SpendLedgerWriter>();
        }
        // The registry grains' store: PostgreSQL with a database, else the embedded registry (grain state).
        builder.Services.AddHotDashRegistry(registryDatabase);
        // Traces: the analytics store, the archive and the aggregator / writer pipeline.
        builder.Services.AddHotDashAnalytics(config);
        // The exact cache's store (Redis or bounded silo memory) for the cache grains.
        builder.Services.AddHotDashCaching(config);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        builder.UseOrleans(silo =>
        {
            var redis = config.Infrastructure.RedisConnectionString;
            if (redis is null)
            {
                silo.UseLocalhostClustering(hd.OrleansSiloPort, hd.OrleansGatewayPort, primarySiloEndpoint: null, hd.ServiceId, hd.ClusterId);
                silo.AddMemoryGrainStorage(GrainStorageName);
                silo.AddMemoryGrainStorageAsDefault();
            }
            else
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = hd.ClusterId;
                    o.ServiceId = hd.ServiceId;
                });
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.AddRedisGrainStorage(GrainStorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.AddRedisGrainStorageAsDefault(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                ConfigureEndpoints(silo, hd);
            }

            silo.Services.AddHotDashGrainStateSerializer();
            silo.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = DeactivationTimeout);

            // The dashboard UI is served by the dashboard process; every silo must still collect its counters.
            silo.AddDashboard();
        });
        return builder;
    }

    /// <summary>Logs the bound addresses once started, and the orderly leave on SIGTERM / Ctrl-C.</summary>
    public static WebApplication LogSiloLifecycle(this WebApplication app, HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HotDash.Silo");
        HotDashStartup.LogConfig(logger, config, "silo");
        if (config.HotDash.AdvertisedAddress is { } advertised && config.Infrastructure.RedisConnectionString is null)
        {
            SiloLog.AdvertisedWithoutRedis(logger, advertised);
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            SiloLog.Listening(logger, addresses is null ? "?" : string.Join(", ", addresses),
                OrleansBindAddress(config), config.HotDash.OrleansSiloPort, config.HotDash.OrleansGatewayPort, config.HotDash.ClusterId);
        });
        app.Lifetime.ApplicationStopping.Register(() => SiloLog.Stopping(logger));
        app.Lifetime.ApplicationStopped.Register(() => SiloLog.Stopped(logger));
        return app;
    }

    /// <summary>
    /// Migrates the registry schema (when a database is configured), then the analytics store and the archive (a
    /// configured one that does not answer is logged, reported by readiness and retried in the background: it does not
    /// stop the silo), then runs until SIGTERM / Ctrl-C and leaves the cluster in order (the host's graceful stop, which
    /// deactivates the grains). Returns 0, or <see cref="StartFailedExitCode"/> after printing one line when the silo
    /// cannot start (Redis or PostgreSQL unreachable, a migration refused).
    /// </summary>
    public static async Task<int> RunSiloAsync(this WebApplication app, HotDashConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!await MigrateRegistryAsync(app, config) || !await InitializeAnalyticsAsync(app))
        {
            return StartFailedExitCode;
        }
        // Read before running: a host that failed to start is disposed, and its services with it.
        var started = app.Lifetime.ApplicationStarted;
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (!started.IsCancellationRequested)
        {
            Console.Error.WriteLine($"hotdash silo: could not start: {DescribeStartFailure(e, config)}");
            return StartFailedExitCode;
        }
    }

    // Before the host starts, so nothing (Orleans, the health port) runs on a schema that is not there yet, and a
    // failure is the one line below rather than the host's start-failure log.
    private static async Task<bool> MigrateRegistryAsync(WebApplication app, HotDashConfig config)
    {
        if (app.Services.GetService<RegistryMigrator>() is not { } migrator)
        {
            return true;
        }
        // SIGTERM / Ctrl-C while waiting for another silo's migration: stop waiting (the host has no handler yet).
        using var stop = new CancellationTokenSource();
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); }))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); }))
        {
            try
            {
                await migrator.MigrateAsync(stop.Token);
                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("hotdash silo: stopped while migrating the registry schema");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                Console.Error.WriteLine($"hotdash silo: could not start: {DescribeStartFailure(e, config)}");
            }
            return false;
        }
    }

    // Before the host starts too, so the writer grains normally find the schema in place. Failures are the initializer's
    // to log and retry; only a stop signal during the attempt ends the start.
    private static async Task<bool> InitializeAnalyticsAsync(WebApplication app)
    {
        var initializer = app.Services.GetRequiredService<AnalyticsInitializer>();
        initializer.LogChoice();
        using var stop = new CancellationTokenSource();
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); }))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); }))
        {
            await initializer.TryInitializeAsync(stop.Token);
            if (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("hotdash silo: stopped while preparing the analytics store and the archive");
                return false;
            }
            return true;
        }
    }

    private static string DescribeStartFailure(Exception e, HotDashConfig config)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is StackExchange.Redis.RedisException && config.Infrastructure.RedisConnectionString is { } cs)
            {
                // Name the endpoints, never the connection string: it may carry a password.
                var endpoints = string.Join(", ", ConfigurationOptions.Parse(cs).EndPoints.Select(p => p.ToString()));
                return $"Redis at {endpoints} (from {config.Infrastructure.RedisSource}) is unreachable; start it or fix the setting";
            }
            if (config.Infrastructure.Database is { } db)
            {
                // Name the host and database, never the connection string: it may carry a password.
                var where = $"PostgreSQL at {db.Endpoint} (from {config.Infrastructure.DatabaseSource})";
                if (inner is PostgresException pg)
                {
                    return $"{where} refused the registry schema: {pg.MessageText} ({pg.SqlState}); fix the setting or the database";
                }
                if (inner is NpgsqlException npgsql)
                {
                    return $"{where} is unreachable ({npgsql.InnerException?.Message ?? npgsql.Message}); start it or fix the setting";
                }
            }
        }
        return $"{e.GetType().Name}: {e.Message}";
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, HotDashSettings hd)
    {
        if (hd.AdvertisedAddress is not { } advertised)
        {
            silo.ConfigureEndpoints(IPAddress.Loopback, hd.OrleansSiloPort, hd.OrleansGatewayPort, listenOnAnyHostAddress: false);
        }
        else if (IPAddress.TryParse(advertised, out var ip))
        {
            // Advertised to other hosts (possibly through NAT): listen on every interface so the address is reachable.
            silo.ConfigureEndpoints(ip, hd.OrleansSiloPort, hd.OrleansGatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(advertised, hd.OrleansSiloPort, hd.OrleansGatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        }
    }

    private static string UrlHost(string bindAddress) =>
        IPAddress.TryParse(bindAddress, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bindAddress}]" : bindAddress;
}
