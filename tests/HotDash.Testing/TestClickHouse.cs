using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// The real ClickHouse the test script starts (<c>HOTDASH_TEST_CLICKHOUSE</c>, its HTTP interface, e.g.
/// <c>http://127.0.0.1:8123</c>), under the <see cref="Prerequisite"/> rule: missing under <c>CI=true</c>, the
/// test fails; elsewhere it says so and returns.
/// </summary>
public static class TestClickHouse
{
    public const string Variable = "HOTDASH_TEST_CLICKHOUSE";

    /// <summary>The ClickHouse HTTP endpoint, or null when the test should return early.</summary>
    public static Uri? Endpoint(ITestOutputHelper output)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
        {
            return endpoint;
        }
        Prerequisite.Missing(output, $"{Variable} is not set (or not an absolute URL): this test needs a real ClickHouse over HTTP (e.g. {Variable}=http://127.0.0.1:8123); ./hotdash test starts one");
        return null;
    }
}
