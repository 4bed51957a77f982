using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace HotDash.Testing;

/// <summary>
/// A HotDash host's build output run as users run it (<c>dotnet HotDash.Silo.dll</c>, the gateway or the dashboard),
/// in Production, on its own ports of 127.0.0.1, with stdout and stderr captured for assertions and failure
/// messages. Dispose kills it.
/// </summary>
public sealed class HostProcess : IDisposable
{
    // Settings the test runner's own environment might carry and that would change what the host runs on.
    private static readonly string[] InheritedSettings =
    [
        "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL", "LITELLM_MASTER_KEY",
        "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
    ];

    // The stores' settings of the developer's own shell must not leak into a test's hosts either.
    private static readonly string[] InheritedPrefixes = ["HOTDASH_", "CLICKHOUSE_", "S3_", "LANGFUSE_", "AWS_"];

    // Each readiness poll gives up on its own, so a hung host is seen before the overall timeout.
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, HostPorts ports)
    {
        _process = process;
        Ports = ports;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public HostPorts Ports { get; }

    public int Id => _process.Id;

    /// <summary><c>http://127.0.0.1:{Ports.Http}</c>: silo health, the gateway API or the dashboard.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Ports.Http}");

    /// <summary>A client on <see cref="BaseAddress"/>.</summary>
    public HttpClient Http { get; }

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts the silo with <paramref name="environment"/> on top of clean HotDash settings.</summary>
    public static HostProcess StartSilo(HostPorts ports, string clusterId, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return Launch(BuiltHost.SiloDll, ports, environment, args, new()
        {
            ["HOTDASH_SILO_PORT"] = Text(ports.Http),
            ["HOTDASH_ORLEANS_SILO_PORT"] = Text(ports.Silo),
            ["HOTDASH_ORLEANS_GATEWAY_PORT"] = Text(ports.Gateway),
            ["HOTDASH_CLUSTER_ID"] = clusterId,
        });
    }

    /// <summary>
    /// Starts the gateway answering on <paramref name="apiPort"/>, a client of the cluster <paramref name="clusterId"/>
    /// whose silo gateway port is <paramref name="orleansGatewayPort"/>.
    /// </summary>
    public static HostProcess StartGateway(int apiPort, int orleansGatewayPort, string clusterId, IReadOnlyDictionary<string, string>? environment = null) =>
        Launch(BuiltHost.GatewayDll, new HostPorts(apiPort, 0, orleansGatewayPort), environment, [], new()
        {
            ["HOTDASH_API_PORT"] = Text(apiPort),
            ["HOTDASH_ORLEANS_GATEWAY_PORT"] = Text(orleansGatewayPort),
            ["HOTDASH_CLUSTER_ID"] = clusterId,
        });

    /// <summary>
    /// Starts the dashboard on <paramref name="dashboardPort"/>, a client of the default cluster through
    /// <paramref name="orleansGatewayPort"/>, reporting on the gateway API at <paramref name="apiPort"/>.
    /// </summary>
    public static HostProcess StartDashboard(int dashboardPort, int orleansGatewayPort, int apiPort) =>
        StartDashboard(dashboardPort, orleansGatewayPort, apiPort, null, null);

    /// <summary>Starts the dashboard as above, in the cluster <paramref name="clusterId"/> (default: the default cluster) with extra environment.</summary>
    public static HostProcess StartDashboard(int dashboardPort, int orleansGatewayPort, int apiPort, string? clusterId, IReadOnlyDictionary<string, string>? environment)
    {
        var settings = new Dictionary<string, string>
        {
            ["HOTDASH_DASHBOARD_PORT"] = Text(dashboardPort),
            ["HOTDASH_ORLEANS_GATEWAY_PORT"] = Text(orleansGatewayPort),
            ["HOTDASH_API_PORT"] = Text(apiPort),
        };
        if (clusterId is not null)
        {
            settings["HOTDASH_CLUSTER_ID"] = clusterId;
        }
        return Launch(BuiltHost.DashboardDll, new HostPorts(dashboardPort, 0, orleansGatewayPort), environment, [], settings);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static HostProcess Launch(string dll, HostPorts ports, IReadOnlyDictionary<string, string>? environment, string[] args, Dictionary<string, string> settings)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // Not the project folder: the build output alone must be enough.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || InheritedSettings.Contains(key))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["HOTDASH_BIND"] = "127.0.0.1";
        // Each host its own data folder (the embedded analytics file, the archive folder): two hosts never share one.
        info.Environment["HOTDASH_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "hotdash-host-" + Guid.NewGuid().ToString("n")[..12]);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in settings.Concat(environment ?? new Dictionary<string, string>()))
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process, ports);
        process.OutputDataReceived += (_, e) => Append(host._stdout, host._stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host._stderr, host._stderrClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Starts a host again on the ports it had, as a restarted process would, and waits until it is ready. The kernel
    /// hands a dead process's ports out again (to a parallel test, or as the local port of an outgoing connection), so
    /// if the host exits because one of them is taken it is started once more on fresh ports.
    /// </summary>
    public static async Task<HostProcess> RestartUntilReadyAsync(HostPorts ports, Func<HostPorts, HostProcess> start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var attempt = 1; ; attempt++)
        {
            var host = start(ports);
            try
            {
                await host.WaitUntilReadyAsync(timeout);
                return host;
            }
            catch (Exception) when (attempt < 3 && host.ExitedOnTakenPort)
            {
                ports = HostPorts.Free();
            }
        }
    }

    private bool ExitedOnTakenPort =>
        _process.HasExited && StandardError.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>Waits until readiness answers 200 and returns its report; fails with the output when the host exits or the time runs out.</summary>
    public Task<JsonElement> WaitUntilReadyAsync(TimeSpan timeout) => WaitForOkAsync("/health/readiness", "ready", timeout);

    /// <summary>Waits until liveliness answers 200 (readiness may stay 503, e.g. with the cluster unreachable).</summary>
    public Task WaitUntilAliveAsync(TimeSpan timeout) => WaitForOkAsync("/health/liveliness", "alive", timeout);

    private async Task<JsonElement> WaitForOkAsync(string path, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the process exited with {_process.ExitCode} before it was {what}\n{Describe()}");
            }
            try
            {
                using var poll = new CancellationTokenSource(PollTimeout);
                using var response = await Http.GetAsync(path, poll.Token);
                var body = await response.Content.ReadAsStringAsync(poll.Token);
                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var json = JsonDocument.Parse(body);
                    return json.RootElement.Clone();
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }
            await Task.Delay(200);
        }
        Assert.Fail($"the process was not {what} within {timeout.TotalSeconds} s (last {path} answer: {last})\n{Describe()}");
        return default;
    }

    /// <summary>Waits for the process to exit (its output fully read); fails if it does not within the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the process did not exit within {timeout.TotalSeconds} s\n{Describe()}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as a process supervisor or <c>docker stop</c> sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5_000);
    }

    /// <summary>Kills the process outright (no graceful stop), as a crash or <c>kill -9</c> would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public string Describe() => $"--- {Path.GetFileNameWithoutExtension(_process.StartInfo.ArgumentList[0])} stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    public void Dispose()
    {
        Http.Dispose();
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
