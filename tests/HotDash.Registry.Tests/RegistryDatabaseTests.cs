using HotDash.Hosting.Configuration;

namespace HotDash.Registry.Tests;

/// <summary>The registry's connection: LiteLLM-style URLs reach the real server, the probe tells up from down.</summary>
public sealed class RegistryDatabaseTests(ITestOutputHelper output) : RegistryTestBase(output)
{
    [Fact]
    public async Task PostgresqlUrl_ConvertedForTheTestServer_ConnectsToThatDatabaseWithItsParameters()
    {
        if (Database is null)
        {
            return;
        }
        var target = DatabaseConnection.FromUrl($"{Db.Url}&application_name=hotdash-url-test&connect_timeout=5&schema=public", "DATABASE_URL");
        await using var registry = new RegistryDatabase(target.ConnectionString, "url_test");
        await new RegistryMigrator(registry, Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);

        await using var command = registry.DataSource.CreateCommand(
            "SELECT current_database() || '|' || current_setting('application_name') || '|' || current_schema() || '|' || (SELECT count(*) FROM keys)");
        var seen = (string)(await command.ExecuteScalarAsync())!;

        Assert.Equal($"{Db.Name}|hotdash-url-test|url_test|0", seen);
        Assert.Equal($"{Db.Host}:{Db.Port}/{Db.Name}", target.Endpoint);
        Assert.Equal($"{Db.Host}:{Db.Port}/{Db.Name}", registry.Endpoint);
        Assert.Equal(["schema (a Prisma setting)"], target.IgnoredParameters);
    }

    [Fact]
    public async Task PingAsync_ServerUp_IsTrue()
    {
        if (Database is null)
        {
            return;
        }
        Assert.True(await Registry().PingAsync(TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    [Fact]
    public async Task PingAsync_NothingListening_IsFalseWithinTheTimeout()
    {
        await using var registry = new RegistryDatabase($"Host=127.0.0.1;Port={FreePorts.Next()};Username=postgres;Database=nowhere");
        var started = DateTime.UtcNow;

        var up = await registry.PingAsync(TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(up);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("Hotdash")]
    [InlineData("pg_registry")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("")]
    public void Constructor_SchemaThatIsNotALowerCaseSqlName_Throws(string schema) =>
        Assert.Throws<ArgumentException>(() => new RegistryDatabase("Host=127.0.0.1", schema));
}
