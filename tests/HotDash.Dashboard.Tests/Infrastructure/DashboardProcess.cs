using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard's build output run as users run it (<c>dotnet bin/.../HotDash.Dashboard.dll</c>, Production) on a free
/// port of 127.0.0.1, with its output captured for failure messages. Dispose kills it.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private static readonly string[] Inherited =
        ["REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DashboardProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    private static string DashboardDll
    {
        get
        {
            var path = Path.GetFullPath(typeof(DashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DashboardDll").Value!);
            Assert.True(File.Exists(path), $"the dashboard was not built: {path} is missing");
            return path;
        }
    }

    /// <summary>Starts the dashboard against the Orleans gateway port and the gateway API port given, and waits until it serves.</summary>
    public static async Task<DashboardProcess> StartAsync(int orleansGatewayPort, int apiPort)
    {
        var dll = DashboardDll;
        var port = FreePorts.Next();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // Not the project folder: the build output alone must be enough.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("HOTDASH_", StringComparison.Ordinal) || Inherited.Contains(key))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["HOTDASH_BIND"] = "127.0.0.1";
        info.Environment["HOTDASH_DASHBOARD_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["HOTDASH_ORLEANS_GATEWAY_PORT"] = orleansGatewayPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["HOTDASH_API_PORT"] = apiPort.ToString(CultureInfo.InvariantCulture);

        var process = new Process { StartInfo = info };
        var dashboard = new DashboardProcess(process, port);
        process.OutputDataReceived += (_, e) => dashboard.Append(e.Data);
        process.ErrorDataReceived += (_, e) => dashboard.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await dashboard.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }
        return dashboard;
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the dashboard exited with {_process.ExitCode} before serving\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync("/health/liveliness");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"the dashboard did not serve within {timeout.TotalSeconds} s (last: {last})\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }
}
