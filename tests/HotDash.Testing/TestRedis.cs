using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// The real Redis the test script starts (<c>HOTDASH_TEST_REDIS</c>, e.g. <c>127.0.0.1:6390</c>), under the
/// <see cref="Prerequisite"/> rule: missing under <c>CI=true</c>, the test fails; elsewhere it says so and returns.
/// </summary>
public static class TestRedis
{
    public const string Variable = "HOTDASH_TEST_REDIS";

    /// <summary>The Redis address, or null when the test should return early.</summary>
    public static string? Address(ITestOutputHelper output)
    {
        var address = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(address))
        {
            return address;
        }
        Prerequisite.Missing(output, $"{Variable} is not set: this test needs a real Redis (e.g. redis-server --bind 127.0.0.1 --port 6390 --save \"\" --appendonly no, then {Variable}=127.0.0.1:6390); ./hotdash test starts one");
        return null;
    }

    /// <summary>The address as a host's <c>REDIS_URL</c>.</summary>
    public static string Url(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Contains("://", StringComparison.Ordinal) ? address : $"redis://{address}";
    }
}
