using Npgsql;
using Xunit.Abstractions;

namespace HotDash.Testing;

/// <summary>
/// The real PostgreSQL the test script starts (<c>HOTDASH_TEST_POSTGRES</c>, an Npgsql connection string such as
/// <c>Host=127.0.0.1;Port=5433;Username=postgres;Database=hotdash_test</c>), under the <see cref="Prerequisite"/> rule:
/// missing under <c>CI=true</c>, the test fails; elsewhere it says so and returns.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "HOTDASH_TEST_POSTGRES";

    /// <summary>The server's connection string, or null when the test should return early.</summary>
    public static string? ConnectionString(ITestOutputHelper output)
    {
        var cs = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(cs))
        {
            return cs;
        }
        Prerequisite.Missing(output, $"{Variable} is not set: this test needs a real PostgreSQL (e.g. initdb and pg_ctl start on port 5433, createdb hotdash_test, then {Variable}=\"Host=127.0.0.1;Port=5433;Username=postgres;Database=hotdash_test\"); ./hotdash test starts one");
        return null;
    }

    /// <summary>
    /// A new, uniquely named, empty database on the test server (dropped when the result is disposed), so tests
    /// share nothing, not even advisory locks; null when the test should return early.
    /// </summary>
    public static async Task<TestDatabase?> CreateDatabaseAsync(ITestOutputHelper output)
    {
        if (ConnectionString(output) is not { } cs)
        {
            return null;
        }
        var name = $"hd_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(cs))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(cs, name);
    }
}
