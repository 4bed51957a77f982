using Xunit.Abstractions;

namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>
/// The official <c>langfuse</c> npm package (v3) and OpenTelemetry exporters (<c>@langfuse/otel</c>, OTLP/protobuf),
/// under <c>node --test</c>, against the dashboard's build output on a real port, connected to the fixture's silo with
/// the trace pipeline.
/// </summary>
[Collection(PublicApiCollection.Name)]
public sealed class LangfuseNpmClientTests(PublicApiFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LangfuseNpmPackages_AgainstTheDashboard_PassEveryNodeTest()
    {
        using var dashboard = HostProcess.StartDashboard(FreePorts.Next(), fixture.Silo.GatewayPort, FreePorts.Next());
        await dashboard.WaitUntilReadyAsync(StartTimeout);

        try
        {
            await LangfuseNodeRunner.RunAsync(output, new Dictionary<string, string>
            {
                ["HOTDASH_LANGFUSE_BASEURL"] = dashboard.BaseAddress.ToString().TrimEnd('/'),
                ["HOTDASH_LANGFUSE_PUBLIC_KEY"] = PublicApiFixture.PublicKey,
                ["HOTDASH_LANGFUSE_SECRET_KEY"] = PublicApiFixture.SecretKey,
                ["HOTDASH_LANGFUSE_PROJECT_ID"] = fixture.ProjectId,
            });
        }
        finally
        {
            output.WriteLine(dashboard.Describe());
        }
    }
}
