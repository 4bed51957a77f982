using Xunit.Abstractions;

namespace HotDash.Api.Tests.Support;

/// <summary>
/// Runs the OpenAI client files of tests/clients (<c>openai*.test.mjs</c>: the official <c>openai</c> npm package)
/// with the given environment through <see cref="NodeTests"/>; the Langfuse ones need a dashboard and run from the
/// dashboard's tests.
/// </summary>
internal static class NodeTestRunner
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Node's output (TAP) when it ran and passed; null when a prerequisite is missing outside CI.</summary>
    public static Task<string?> RunAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string> environment) =>
        NodeTests.RunAsync(output, "openai*.test.mjs", ["openai"], ["HOTDASH_", "OPENAI_"], environment, NodeTimeout);
}
