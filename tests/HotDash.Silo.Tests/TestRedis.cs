using Xunit.Abstractions;

namespace HotDash.Silo.Tests;

/// <summary>
/// The real Redis the test script starts (<c>HOTDASH_TEST_REDIS</c>, e.g. <c>127.0.0.1:6390</c>). Missing under
/// <c>CI=true</c>: the test fails. Missing elsewhere: the test says so and returns.
/// </summary>
internal static class TestRedis
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
        var message = $"{Variable} is not set: this test needs a real Redis (e.g. redis-server --bind 127.0.0.1 --port 6390 --save \"\" --appendonly no, then {Variable}=127.0.0.1:6390); ./hotdash test starts one";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }
        output.WriteLine($"NOT RUN: {message}");
        return null;
    }

    /// <summary>The address as the silo's <c>REDIS_URL</c>.</summary>
    public static string Url(string address) => address.Contains("://", StringComparison.Ordinal) ? address : $"redis://{address}";
}
