using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// <c>./hotdash up --no-build</c> as a newcomer runs it: the real script as a process, with none of the runner's HotDash
/// settings, on free ports of 127.0.0.1, running this build's hosts (HOTDASH_CONFIGURATION = this project's Configuration).
/// </summary>
public sealed class HotdashUpTests(ITestOutputHelper output) : IDisposable
{
    // Upper bounds for a failing run only: a port check exits before any host starts, a bad config when the silo reads it.
    private static readonly TimeSpan QuickExit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HostExit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Script> _scripts = [];
    private readonly List<string> _files = [];

    [Theory]
    [InlineData("HOTDASH_API_PORT", "gateway")]
    [InlineData("HOTDASH_DASHBOARD_PORT", "dashboard")]
    [InlineData("HOTDASH_SILO_PORT", "silo health")]
    [InlineData("HOTDASH_ORLEANS_SILO_PORT", "Orleans silo")]
    [InlineData("HOTDASH_ORLEANS_GATEWAY_PORT", "Orleans gateway")]
    public async Task Up_PortHeldByAnotherProcess_ExitsWithCode2NamingThePortBeforeStartingAnything(string variable, string name)
    {
        var ports = UpPorts.Free();
        var held = ports.Environment()[variable];
        using var holder = new TcpListener(IPAddress.Loopback, int.Parse(held, CultureInfo.InvariantCulture));
        holder.Start();

        var script = Start(ports);
        var exitCode = await script.WaitForExitAsync(QuickExit);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{script.Output}");
        Assert.Contains($"port {held} ({name}) is already in use", script.Output);
        Assert.Contains($"set {variable}", script.Output);
        Assert.DoesNotContain("[silo]", script.Output);
    }

    [Theory]
    [InlineData("hotdash:\n  api_port: {0}  # the gateway\n  silo_port: \"{1}\"\n")]
    [InlineData("hotdash: {{api_port: {0}, silo_port: {1}}}\n")]
    [InlineData("hotdash: {{ api_port: {0}, silo_port: '{1}' }}\n")]
    [InlineData("hotdash: {{\n  api_port: {0},  # the gateway\n  silo_port: {1}\n}}\n")]
    public async Task Up_PortHeldThatOnlyTheConfigNames_ExitsWithCode2NamingThatPort(string hotdashSection)
    {
        // Block and flow style alike: the gateway port from the file is free, the silo port from the file is held.
        var ports = UpPorts.Free();
        using var holder = new TcpListener(IPAddress.Loopback, ports.Silo);
        holder.Start();
        var config = WriteConfig(string.Format(CultureInfo.InvariantCulture, hotdashSection, ports.Api, ports.Silo));
        var environment = ports.Environment();
        environment.Remove("HOTDASH_API_PORT");
        environment.Remove("HOTDASH_SILO_PORT");

        var script = Start(environment, "--config", config);
        var exitCode = await script.WaitForExitAsync(QuickExit);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{script.Output}");
        Assert.Contains($"port {ports.Silo} (silo health) is already in use", script.Output);
    }

    [Fact]
    public async Task Up_EnvironmentAndConfigNameTheGatewayPort_TheEnvironmentWins()
    {
        // The file's gateway port is held, the environment's is free: the check passes it and stops at the next, held one.
        var ports = UpPorts.Free();
        var fileApiPort = FreePorts.Next();
        using var fileApiHolder = new TcpListener(IPAddress.Loopback, fileApiPort);
        fileApiHolder.Start();
        using var dashboardHolder = new TcpListener(IPAddress.Loopback, ports.Dashboard);
        dashboardHolder.Start();
        var config = WriteConfig($"hotdash: {{api_port: {fileApiPort}}}\n");

        var script = Start(ports.Environment(), "--config", config);
        var exitCode = await script.WaitForExitAsync(QuickExit);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{script.Output}");
        Assert.Contains($"port {ports.Dashboard} (dashboard) is already in use", script.Output);
        Assert.DoesNotContain($"port {fileApiPort}", script.Output);
    }

    [Fact]
    public async Task Up_ModelWithoutLitellmModel_ExitsWithCode2RelayingTheSilosKey()
    {
        var config = WriteConfig("""
            model_list:
              - model_name: broken
                litellm_params:
                  api_key: sk-test
            """);

        var script = Start(UpPorts.Free().Environment(), "--config", config);
        var exitCode = await script.WaitForExitAsync(HostExit);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{script.Output}");
        Assert.Contains("model_list[0].litellm_params.model", script.Output);
        Assert.Contains("hotdash: silo exited with code 2", script.Output);
    }

    [Fact]
    public async Task Up_EmbeddedDefaults_ServesAllThreeUntilSigtermStopsThemAndExits0()
    {
        var ports = UpPorts.Free();
        var script = Start(ports);

        await script.WaitForOutputAsync("hotdash: Ctrl-C stops all three", UpTimeout);
        Assert.Matches($@"gateway\s+http://localhost:{ports.Api}\s", script.Output);
        Assert.Matches($@"dashboard\s+http://localhost:{ports.Dashboard}\s", script.Output);
        Assert.Matches($@"silo health\s+http://localhost:{ports.Silo}/health/readiness", script.Output);

        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
        using (var response = await http.PostAsync($"http://127.0.0.1:{ports.Api}/v1/chat/completions", new StringContent(
            """{"model":"mock-chat","messages":[{"role":"user","content":"hello from a newcomer"}]}""", Encoding.UTF8, "application/json")))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Equal("This is a mock response from mock-chat. You said: hello from a newcomer",
                json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        var children = script.Descendants();
        foreach (var dll in new[] { "HotDash.Silo.dll", "HotDash.Api.dll", "HotDash.Dashboard.dll" })
        {
            Assert.True(children.Any(c => c.CommandLine.Contains(dll, StringComparison.Ordinal)),
                $"no child process runs {dll}:\n{string.Join('\n', children.Select(c => c.CommandLine))}");
        }

        script.Terminate();
        var exitCode = await script.WaitForExitAsync(StopTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{script.Output}");
        Assert.Contains("hotdash: stopped", script.Output);
        var left = await ProcessTree.StillRunningAsync(children, TimeSpan.FromSeconds(10));
        Assert.True(left.Count == 0, $"still running after the script exited:\n{string.Join('\n', left.Select(c => $"{c.Pid} {c.CommandLine}"))}");
        foreach (var port in ports.All)
        {
            Assert.False(await AcceptsAsync(port), $"port {port} still accepts connections after the stop\n{script.Output}");
        }
    }

    public void Dispose()
    {
        foreach (var script in _scripts)
        {
            output.WriteLine($"--- hotdash up (pid {script.Id}) ---\n{script.Output}");
            script.Dispose();
        }
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private Script Start(UpPorts ports) => Start(ports.Environment());

    private Script Start(Dictionary<string, string> environment, params string[] args)
    {
        var script = Script.Up(environment, args);
        _scripts.Add(script);
        return script;
    }

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hotdash-up-test-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        _files.Add(path);
        return path;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The five ports of one <c>up</c>, distinct and free, as the environment variables the script reads.</summary>
    private sealed record UpPorts(int Api, int Dashboard, int Silo, int OrleansSilo, int OrleansGateway)
    {
        public IEnumerable<int> All => [Api, Dashboard, Silo, OrleansSilo, OrleansGateway];

        public static UpPorts Free()
        {
            var ports = new HashSet<int>();
            while (ports.Count < 5)
            {
                ports.Add(FreePorts.Next());
            }
            var p = ports.ToArray();
            return new UpPorts(p[0], p[1], p[2], p[3], p[4]);
        }

        public Dictionary<string, string> Environment() => new()
        {
            ["HOTDASH_API_PORT"] = Text(Api),
            ["HOTDASH_DASHBOARD_PORT"] = Text(Dashboard),
            ["HOTDASH_SILO_PORT"] = Text(Silo),
            ["HOTDASH_ORLEANS_SILO_PORT"] = Text(OrleansSilo),
            ["HOTDASH_ORLEANS_GATEWAY_PORT"] = Text(OrleansGateway),
        };

        private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>bash hotdash up --no-build ...</c> from the repository root, stdout and stderr captured as one text.</summary>
    private sealed class Script : IDisposable
    {
        // Settings the runner's own environment might carry that would change what the hosts run on.
        private static readonly string[] InheritedSettings =
        [
            "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL", "LITELLM_MASTER_KEY",
            "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
        ];

        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private List<ProcessTree.Entry> _seen = [];

        private Script(Process process) => _process = process;

        public int Id => _process.Id;

        public string Output { get { lock (_output) { return _output.ToString(); } } }

        public static Script Up(Dictionary<string, string> environment, string[] args)
        {
            // Fails with the dotnet build command to run when a host is not built in this configuration.
            _ = BuiltHost.SiloDll;
            _ = BuiltHost.GatewayDll;
            _ = BuiltHost.DashboardDll;
            var path = Path.GetFullPath(Metadata("HotdashScript"));
            var info = new ProcessStartInfo("bash")
            {
                WorkingDirectory = Path.GetDirectoryName(path)!,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in (string[])[path, "up", "--no-build", .. args])
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
            // The dotnet running the tests, should it not be on PATH.
            if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet)
            {
                info.Environment["PATH"] = $"{Path.GetDirectoryName(dotnet)}:{info.Environment["PATH"]}";
            }
            info.Environment["HOTDASH_CONFIGURATION"] = Metadata("HostConfiguration");
            info.Environment["HOTDASH_BIND"] = "127.0.0.1";
            info.Environment["HOTDASH_CLUSTER_ID"] = $"test-{Guid.NewGuid():N}";
            info.Environment["HOTDASH_READY_TIMEOUT"] = "60";
            foreach (var (k, v) in environment)
            {
                info.Environment[k] = v;
            }

            var process = new Process { StartInfo = info };
            var script = new Script(process);
            process.OutputDataReceived += (_, e) => script.Append(e.Data);
            process.ErrorDataReceived += (_, e) => script.Append(e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return script;
        }

        private static string Metadata(string key) =>
            typeof(HotdashUpTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        /// <summary>Waits until the output holds <paramref name="text"/>; fails with the output when the script exits first or the time runs out.</summary>
        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited)
                {
                    await WaitForExitAsync(StopTimeout);
                    Assert.Fail($"the script exited with {_process.ExitCode} before printing \"{text}\"\n{Output}");
                }
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"the script did not print \"{text}\" within {timeout.TotalSeconds} s\n{Output}");
                }
                _seen = ProcessTree.Descendants(_process.Id);
                await Task.Delay(100);
            }
        }

        /// <summary>The script's child processes now (the hosts, their subshells and the output prefixers).</summary>
        public List<ProcessTree.Entry> Descendants()
        {
            _seen = ProcessTree.Descendants(_process.Id);
            return _seen;
        }

        /// <summary>Waits for the exit with the output read to its end (no process left holding the pipes).</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Those it started, also once orphaned: one left holding the output pipes keeps the output from ending.
                var running = ProcessTree.Running([.. _seen, .. ProcessTree.Descendants(_process.Id)]);
                Assert.Fail($"the script did not exit (or its output did not end) within {timeout.TotalSeconds} s\n{Output}\n" +
                    $"its processes still running:\n{string.Join('\n', running.Select(c => $"{c.Pid} {c.CommandLine}"))}");
            }
            return _process.ExitCode;
        }

        /// <summary>SIGTERM, as a supervisor, <c>timeout</c> or <c>kill</c> sends it.</summary>
        public void Terminate()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit(5_000);
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _seen = [.. _seen.Concat(ProcessTree.Descendants(_process.Id))];
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started, or already gone.
            }
            // Whatever the script started and left behind (a failed test must not leave hosts on the machine).
            ProcessTree.Kill(_seen);
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Processes read from /proc: a pid with its start time, so a reused pid is never taken for the same process.</summary>
    private static class ProcessTree
    {
        public sealed record Entry(int Pid, long StartTime, string CommandLine);

        public static List<Entry> Descendants(int root)
        {
            var children = new Dictionary<int, List<Entry>>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    || Stat(pid) is not { } stat || stat.State == 'Z')
                {
                    continue;
                }
                if (!children.TryGetValue(stat.Parent, out var list))
                {
                    children[stat.Parent] = list = [];
                }
                list.Add(new Entry(pid, stat.StartTime, CommandLine(pid)));
            }
            var result = new List<Entry>();
            var queue = new Queue<int>([root]);
            while (queue.TryDequeue(out var pid))
            {
                foreach (var child in children.GetValueOrDefault(pid) ?? [])
                {
                    result.Add(child);
                    queue.Enqueue(child.Pid);
                }
            }
            return result;
        }

        /// <summary>Those of <paramref name="entries"/> still running (zombies count as gone) once the grace time is over.</summary>
        public static async Task<List<Entry>> StillRunningAsync(IReadOnlyList<Entry> entries, TimeSpan grace)
        {
            var deadline = DateTime.UtcNow + grace;
            while (true)
            {
                var left = Running(entries);
                if (left.Count == 0 || DateTime.UtcNow > deadline)
                {
                    return left;
                }
                await Task.Delay(100);
            }
        }

        public static List<Entry> Running(IEnumerable<Entry> entries) => entries.Distinct().Where(IsRunning).ToList();

        public static void Kill(IEnumerable<Entry> entries)
        {
            foreach (var e in Running(entries))
            {
                try
                {
                    using var p = Process.GetProcessById(e.Pid);
                    p.Kill();
                }
                catch (ArgumentException)
                {
                    // Gone meanwhile.
                }
                catch (InvalidOperationException)
                {
                    // Gone meanwhile.
                }
            }
        }

        private static bool IsRunning(Entry e) => Stat(e.Pid) is { } s && s.StartTime == e.StartTime && s.State != 'Z';

        private static (char State, int Parent, long StartTime)? Stat(int pid)
        {
            try
            {
                // "pid (comm) state ppid ... starttime(22nd)": split after the last ')' since comm may hold spaces.
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string CommandLine(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }
    }
}
