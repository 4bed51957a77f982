using System.ComponentModel;
using System.Diagnostics;
using Xunit.Abstractions;

namespace HotDash.Api.Tests.Integration;

/// <summary>
/// Runs tests/clients/*.mjs (the official <c>openai</c> npm package, <c>node --test</c>) against the gateway
/// on a real port. Needs <c>npm ci</c> in tests/clients and node (<see cref="Prerequisite"/>: with CI=true a missing
/// install fails, otherwise the test says so and returns).
/// </summary>
[Collection(SecuredGatewayCollection.Name)]
public sealed class OpenAiNpmClientTests(SecuredGatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task OpenAiNpmPackage_AgainstTheGateway_PassesEveryNodeTest()
    {
        // ./hotdash test names the folder it ran npm ci in; otherwise it is found above the test binaries.
        var clients = Environment.GetEnvironmentVariable("HOTDASH_TEST_CLIENTS_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), "tests", "clients");
        if (!File.Exists(Path.Combine(clients, "node_modules", "openai", "package.json")))
        {
            Prerequisite.Missing(output, "tests/clients/node_modules is missing: run `npm ci` in tests/clients (./hotdash test does).");
            return;
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add(clients.TrimEnd('/') + "/");
        start.Environment["OPENAI_BASE_URL"] = new Uri(fixture.BaseAddress, "/v1").ToString();
        start.Environment["OPENAI_API_KEY"] = SecuredGatewayFixture.Key;
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("NODE_OPTIONS");

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
            Assert.True(process.ExitCode == 0, $"node --test {clients}/ exited with {process.ExitCode}:\n{text}");
            Assert.Contains("# fail 0", text);
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
