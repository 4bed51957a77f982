using System.ComponentModel;
using System.Diagnostics;
using Xunit.Abstractions;

namespace HotDash.Api.Tests.Support;

/// <summary>
/// Runs <c>node --test</c> over tests/clients/*.mjs (the official <c>openai</c> npm package) with the given
/// environment, and fails the test with node's whole output unless every node test passed. Needs <c>npm ci</c>
/// in tests/clients and node on PATH (<see cref="Prerequisite"/>: with CI=true a missing install fails,
/// otherwise the test says NOT RUN and returns).
/// </summary>
internal static class NodeTestRunner
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Node's output (TAP) when it ran and passed; null when a prerequisite is missing outside CI.</summary>
    public static async Task<string?> RunAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string> environment)
    {
        // ./hotdash test names the folder it ran npm ci in; otherwise it is found above the test binaries.
        var clients = Environment.GetEnvironmentVariable("HOTDASH_TEST_CLIENTS_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), "tests", "clients");
        if (!File.Exists(Path.Combine(clients, "node_modules", "openai", "package.json")))
        {
            Prerequisite.Missing(output, "tests/clients/node_modules is missing: run `npm ci` in tests/clients (./hotdash test does).");
            return null;
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        // Only the OpenAI client files: the Langfuse ones need a dashboard and run from the dashboard's tests.
        foreach (var file in Directory.GetFiles(clients, "openai*.test.mjs").Order(StringComparer.Ordinal))
        {
            start.ArgumentList.Add(file);
        }
        // Only what this run sets: a HOTDASH_* or OPENAI_* setting of the runner's own must not change what the .mjs expects.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HOTDASH_", StringComparison.Ordinal) || k.StartsWith("OPENAI_", StringComparison.Ordinal)).ToArray())
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
            using var timeout = new CancellationTokenSource(NodeTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node --test did not finish within {NodeTimeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
            }
            var text = $"{await stdout}\n{await stderr}";
            output.WriteLine(text);
            Assert.True(process.ExitCode == 0, $"node --test {clients}/ exited with {process.ExitCode}:\n{text}");
            Assert.Contains("# fail 0", text);
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
