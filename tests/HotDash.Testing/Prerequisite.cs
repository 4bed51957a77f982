using Xunit;
using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// Integration tests use the real thing (a server, an npm install, a tool on PATH). When it is missing under
/// <c>CI=true</c> the test fails, never skips; elsewhere it says NOT RUN and returns, so a bare checkout still runs.
/// </summary>
public static class Prerequisite
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails the test under CI; otherwise writes <c>NOT RUN: message</c>, after which the caller returns.</summary>
    public static void Missing(ITestOutputHelper output, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsCi)
        {
            Assert.Fail(message);
        }
        output.WriteLine($"NOT RUN: {message}");
    }
}
