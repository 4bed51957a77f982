using System.ComponentModel;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// Runs <c>node --test</c> over client files of tests/clients (real npm SDKs) with the given environment and fails the
/// test with node's whole output unless every node test passed. Needs <c>npm ci</c> in tests/clients and node on PATH
/// (<see cref="Prerequisite"/>: under CI=true a missing install fails, otherwise the test says NOT RUN and returns).
/// </summary>
public static class NodeTests
{
    /// <summary>Node's output (TAP) when it ran and passed; null when a prerequisite is missing outside CI.</summary>
    /// <param name="output">Where node's output goes.</param>
    /// <param name="pattern">The files to run, e.g. <c>openai*.test.mjs</c>.</param>
    /// <param name="packages">Packages under node_modules that must be installed.</param>
    /// <param name="clearedPrefixes">Variables of the runner's own environment that must not reach node.</param>
    /// <param name="environment">What this run sets.</param>
    /// <param name="timeout">How long node may take.</param>
    /// <param name="serial">Run the files one at a time (<c>--test-concurrency=1</c>).</param>
    /// <param name="noSkips">Also fail when a node test was skipped.</param>
    public static async Task<string?> RunAsync(ITestOutputHelper output, string pattern, IEnumerable<string> packages, IEnumerable<string> clearedPrefixes,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout, bool serial = false, bool noSkips = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(environment);
        // ./hotdash test names the folder it ran npm ci in; otherwise it is found above the test binaries.
        var clients = Environment.GetEnvironmentVariable("HOTDASH_TEST_CLIENTS_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), "tests", "clients");
        foreach (var package in packages)
        {
            if (!File.Exists(Path.Combine(clients, "node_modules", package, "package.json")))
            {
                Prerequisite.Missing(output, $"tests/clients/node_modules/{package} is missing: run `npm ci` in tests/clients (./hotdash test does).");
                return null;
            }
        }
        var files = Directory.GetFiles(clients, pattern).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        if (serial)
        {
            start.ArgumentList.Add("--test-concurrency=1");
        }
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        // Only what this run sets: the runner's own settings must not change what the .mjs expects.
        var prefixes = clearedPrefixes.ToArray();
        foreach (var name in start.Environment.Keys.Where(k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToArray())
        {
            start.Environment.Remove(name);
        }
        start.Environment.Remove("NODE_OPTIONS");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Prerequisite.Missing(output, $"node is not installed or not on PATH ({e.Message}).");
            return null;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node --test did not finish within {timeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
            }
            var text = $"{await stdout}\n{await stderr}";
            output.WriteLine(text);
            Assert.True(process.ExitCode == 0, $"node --test {clients}/{pattern} exited with {process.ExitCode}:\n{text}");
            Assert.Contains("# fail 0", text);
            if (noSkips)
            {
                Assert.Contains("# skipped 0", text);
            }
            return text;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "tests", "clients")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
