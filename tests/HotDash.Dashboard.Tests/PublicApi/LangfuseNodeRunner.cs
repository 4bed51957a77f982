using System.ComponentModel;
using System.Diagnostics;
using Xunit.Abstractions;

namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>
/// Runs <c>node --test</c> over the Langfuse client files of tests/clients (<c>langfuse*.test.mjs</c>: the official
/// <c>langfuse</c> package and the OpenTelemetry exporters) with the given environment, and fails with node's whole
/// output unless every node test passed and none was skipped. Needs <c>npm ci</c> in tests/clients and node on PATH
/// (<see cref="Prerequisite"/>: under CI=true a missing install fails, otherwise the test says NOT RUN and returns).
/// </summary>
internal static class LangfuseNodeRunner
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string> environment)
    {
        var clients = Environment.GetEnvironmentVariable("HOTDASH_TEST_CLIENTS_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), "tests", "clients");
        foreach (var package in new[] { "langfuse", Path.Combine("@langfuse", "otel"), Path.Combine("@opentelemetry", "exporter-trace-otlp-proto") })
        {
            if (!File.Exists(Path.Combine(clients, "node_modules", package, "package.json")))
            {
                Prerequisite.Missing(output, $"tests/clients/node_modules/{package} is missing: run `npm ci` in tests/clients (./hotdash test does).");
                return;
            }
        }
        var files = Directory.GetFiles(clients, "langfuse*.test.mjs").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-concurrency=1");
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        // Only what this run sets: the runner's own Langfuse or HotDash settings must not change what the .mjs expects.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HOTDASH_", StringComparison.Ordinal) || k.StartsWith("LANGFUSE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToArray())
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
            return;
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
            Assert.True(process.ExitCode == 0, $"node --test exited with {process.ExitCode}:\n{text}");
            Assert.Contains("# fail 0", text);
            Assert.Contains("# skipped 0", text);
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
