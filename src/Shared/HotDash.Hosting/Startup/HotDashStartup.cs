using System.Net;
using System.Net.Sockets;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace HotDash.Hosting.Startup;

/// <summary>What every HotDash process does first: read the config and check its ports, failing fast and clearly.</summary>
public static class HotDashStartup
{
    private const int SolSocket = 1, SoReuseAddr = 2; // Linux values (the deployment target)

    /// <summary>Exit code for a bad configuration or a port in use.</summary>
    public const int StartupErrorExitCode = 2;

    /// <summary>
    /// Loads the config named by <c>--config</c> or <c>HOTDASH_CONFIG</c> (none: embedded defaults).
    /// On an error, prints one line naming the key and returns null.
    /// </summary>
    public static HotDashConfig? TryLoadConfig(string[] args, string role)
    {
        try
        {
            return HotDashConfigLoader.Load(HotDashConfigLoader.FindConfigPath(args));
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"hotdash {role}: config error: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Checks that each port can be bound now, so a port in use is reported by number before the host
    /// starts (Kestrel would only fail after the Orleans client has connected). Prints and returns false on failure.
    /// </summary>
    public static bool PortsAreFree(string role, string bindAddress, params (string Name, int Port)[] ports)
    {
        foreach (var (name, port) in ports)
        {
            if (port == 0)
            {
                continue;
            }
            var address = IPAddress.TryParse(bindAddress, out var a) ? a : IPAddress.Any;
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                // A port in TIME_WAIT is free, one being listened on is not (Kestrel's semantics). On Unix .NET's
                // ReuseAddress also sets SO_REUSEPORT, which would let us bind beside a live listener: set SO_REUSEADDR alone.
                if (OperatingSystem.IsWindows())
                {
                    socket.ExclusiveAddressUse = true;
                }
                else
                {
                    socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
                }
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen();
            }
            catch (SocketException e)
            {
                var why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use" : $"cannot be opened ({e.SocketErrorCode})";
                Console.Error.WriteLine($"hotdash {role}: port {port} ({name}) {why}; stop what holds it or set another port (see README: hotdash.{name} / HOTDASH_* variables)");
                return false;
            }
        }
        return true;
    }

    /// <summary>Logs the config's warnings (unknown keys and the like) and what it runs on.</summary>
    public static void LogConfig(ILogger logger, HotDashConfig config, string role)
    {
        foreach (var w in config.Warnings)
        {
            StartupLog.ConfigWarning(logger, w);
        }
        StartupLog.Running(logger, role, config.SourcePath ?? "embedded defaults",
            config.Infrastructure.RedisConnectionString is null ? "localhost clustering, in-memory grain state" : $"Redis ({config.Infrastructure.RedisSource})");
        if (config.Infrastructure.Database is { } db)
        {
            StartupLog.Registry(logger, db.Endpoint, config.Infrastructure.DatabaseSource!, config.HotDash.DbSchema);
        }
    }
}
