using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace HotDash.Silo.Tests;

/// <summary>
/// A real HotDash process (the silo, <c>dotnet HotDash.Silo.dll</c>, or the gateway) on its own ports and cluster id, all on 127.0.0.1,
/// with stdout and stderr captured for assertions and for failure messages. Dispose kills it.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    // Settings the test runner's own environment might carry and that would change what the silo runs on.
    private static readonly string[] InheritedSettings =
        ["REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL", "LITELLM_MASTER_KEY", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS"];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, SiloPorts ports)
    {
        _process = process;
        Ports = ports;
    }

    public SiloPorts Ports { get; }

    public int Id => _process.Id;

    public Uri BaseAddress => new($"http://127.0.0.1:{Ports.Http}");

    public string StandardOutput { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardError { get { lock (_stderr) { return _stderr.ToString(); } } }

    public static string SiloDll => BuiltDll("SiloDll", "HOTDASH_SILO_DLL", "src/Silo/HotDash.Silo");

    public static string GatewayDll => BuiltDll("GatewayDll", "HOTDASH_GATEWAY_DLL", "src/Api/HotDash.Api");

    private static string BuiltDll(string key, string variable, string project)
    {
        var path = Environment.GetEnvironmentVariable(variable)
            ?? typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        path = Path.GetFullPath(path);
        Assert.True(File.Exists(path), $"not built: {path} is missing (dotnet build {project})");
        return path;
    }

    /// <summary>Starts the silo with <paramref name="environment"/> on top of clean HotDash settings.</summary>
    public static HostProcess Start(SiloPorts ports, string clusterId, IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        Launch(SiloDll, ports, clusterId, environment, args);

    /// <summary>
    /// Starts the gateway answering on <paramref name="apiPort"/> (readiness there), a client of the
    /// cluster <paramref name="clusterId"/> whose silo gateway port is <paramref name="orleansGatewayPort"/>.
    /// </summary>
    public static HostProcess StartGateway(int apiPort, int orleansGatewayPort, string clusterId, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["HOTDASH_API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Launch(GatewayDll, new SiloPorts(apiPort, 0, orleansGatewayPort), clusterId, env, []);
    }

    private static HostProcess Launch(string dll, SiloPorts ports, string clusterId, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
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
            if (key.StartsWith("HOTDASH_", StringComparison.Ordinal) || InheritedSettings.Contains(key))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["HOTDASH_BIND"] = "127.0.0.1";
        info.Environment["HOTDASH_SILO_PORT"] = ports.Http.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["HOTDASH_ORLEANS_SILO_PORT"] = ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["HOTDASH_ORLEANS_GATEWAY_PORT"] = ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["HOTDASH_CLUSTER_ID"] = clusterId;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info };
        var silo = new HostProcess(process, ports);
        process.OutputDataReceived += (_, e) => silo.Append(silo._stdout, silo._stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(silo._stderr, silo._stderrClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until readiness answers 200; fails with the silo's output when it exits or the time runs out.</summary>
    public async Task<JsonElement> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the process exited with {_process.ExitCode} before it was ready\n{Describe()}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "/health/readiness"));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
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
        Assert.Fail($"the process was not ready within {timeout.TotalSeconds} s (last readiness answer: {last})\n{Describe()}");
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
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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

    private void Append(StringBuilder buffer, TaskCompletionSource closed, string? line)
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
