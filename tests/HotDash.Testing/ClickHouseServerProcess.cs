using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HotDash.Testing;

/// <summary>
/// A private ClickHouse server (the Debian package's binary) on free loopback ports with its own data directory, for
/// tests that stop and start ClickHouse under load; the shared test ClickHouse must never be stopped. <see cref="Stop"/>
/// kills it; <see cref="StartAsync"/> starts it again on the same ports and data, so clients keep their URL.
/// </summary>
public sealed partial class ClickHouseServerProcess : IAsyncDisposable
{
    /// <summary>Where the Debian package installs the server.</summary>
    public const string Binary = "/usr/sbin/clickhouse-server";

    private readonly string _directory;
    private readonly string _config;
    private Process? _process;

    private ClickHouseServerProcess(string directory, int httpPort)
    {
        _directory = directory;
        _config = Path.Combine(directory, "config.xml");
        HttpPort = httpPort;
        Endpoint = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    /// <summary>The HTTP interface.</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP port.</summary>
    public int HttpPort { get; }

    /// <summary>Whether the binary is installed (the test script installs it; under <c>CI=true</c> its absence fails the test).</summary>
    public static bool Installed => File.Exists(Binary) && File.Exists("/etc/clickhouse-server/config.xml");

    /// <summary>Writes the config (data, logs and ports under a temp dir) and starts the server; ready when <c>/ping</c> answers.</summary>
    public static async Task<ClickHouseServerProcess> StartNewAsync(TimeSpan timeout)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hotdash-clickhouse-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        File.Copy("/etc/clickhouse-server/users.xml", Path.Combine(directory, "users.xml"));
        var http = FreePorts.Next();
        var config = await File.ReadAllTextAsync("/etc/clickhouse-server/config.xml").ConfigureAwait(false);
        config = config.Replace("/var/lib/clickhouse/", directory + "/data/", StringComparison.Ordinal)
            .Replace("/var/log/clickhouse-server/", directory + "/log/", StringComparison.Ordinal)
            .Replace("<listen_host>::1</listen_host>", "", StringComparison.Ordinal);
        config = HttpPortElement().Replace(config, $"<http_port>{http}</http_port>");
        config = TcpPortElement().Replace(config, $"<tcp_port>{FreePorts.Next()}</tcp_port>");
        config = InterserverPortElement().Replace(config, $"<interserver_http_port>{FreePorts.Next()}</interserver_http_port>");
        await File.WriteAllTextAsync(Path.Combine(directory, "config.xml"), config).ConfigureAwait(false);
        var server = new ClickHouseServerProcess(directory, http);
        await server.StartAsync(timeout).ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the server (again) on the same ports and data.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        var start = new ProcessStartInfo(Binary, $"--config-file={_config}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("clickhouse-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"clickhouse-server exited with {_process.ExitCode}; logs in {_directory}/log");
            }
            try
            {
                if ((await http.GetStringAsync(new Uri(Endpoint, "ping")).ConfigureAwait(false)).Trim() == "Ok.")
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"clickhouse-server did not answer /ping within {timeout}; logs in {_directory}/log");
    }

    /// <summary>Kills the server at once (as a crash or an outage would), keeping its data.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp dir is cleaned up with the machine.
        }
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex("<http_port>[0-9]*</http_port>")]
    private static partial Regex HttpPortElement();

    [GeneratedRegex("<tcp_port>[0-9]*</tcp_port>")]
    private static partial Regex TcpPortElement();

    [GeneratedRegex("<interserver_http_port>[0-9]*</interserver_http_port>")]
    private static partial Regex InterserverPortElement();
}
