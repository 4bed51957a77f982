using Xunit.Abstractions;

namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>
/// Runs the Langfuse client files of tests/clients (<c>langfuse*.test.mjs</c>: the official <c>langfuse</c> package and
/// the OpenTelemetry exporters) with the given environment through <see cref="NodeTests"/>, one file at a time, and
/// fails unless every node test passed and none was skipped.
/// </summary>
internal static class LangfuseNodeRunner
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(120);

    public static Task RunAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string> environment) =>
        NodeTests.RunAsync(output, "langfuse*.test.mjs",
            ["langfuse", Path.Combine("@langfuse", "otel"), Path.Combine("@opentelemetry", "exporter-trace-otlp-proto")],
            ["HOTDASH_", "LANGFUSE_", "OTEL_"], environment, NodeTimeout, serial: true, noSkips: true);
}
