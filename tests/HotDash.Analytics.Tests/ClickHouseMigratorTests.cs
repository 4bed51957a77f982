using HotDash.Analytics;

namespace HotDash.Analytics.Tests;

public sealed class ClickHouseMigratorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Migrator_FreshDatabase_CreatesTheThreeTablesAndRecordsVersionOne()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output, migrate: false);
        if (database is null)
        {
            return;
        }
        var migrator = new ClickHouseMigrator(database.ClickHouse);

        var applied = await migrator.MigrateAsync();

        Assert.Equal([1u], applied.Select(m => m.Version));
        var tables = await database.ClickHouse.QueryJsonEachRowAsync(
            $"SELECT name FROM system.tables WHERE database = {ClickHouseSql.Quote(database.ClickHouse.Database)} ORDER BY name");
        Assert.Equal(["observations", "schema_migrations", "scores", "traces"], tables.Select(t => t.GetProperty("name").GetString()));
        var recorded = await database.ClickHouse.QueryJsonEachRowAsync("SELECT version, name FROM schema_migrations");
        var row = Assert.Single(recorded);
        Assert.Equal(1u, row.GetProperty("version").GetUInt32());
        Assert.Equal("langfuse_tables", row.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Migrator_SecondRun_AppliesNothingAndRecordsNothingNew()
    {
        await using var database = await AnalyticsDatabase.CreateAsync(output);
        if (database is null)
        {
            return;
        }

        var applied = await new ClickHouseMigrator(database.ClickHouse).MigrateAsync();

        Assert.Empty(applied);
        var recorded = await database.ClickHouse.QueryJsonEachRowAsync("SELECT count() AS n FROM schema_migrations");
        Assert.Equal(1, Assert.Single(recorded).GetProperty("n").GetInt64());
    }

    [Fact]
    public void Split_StatementsEndingInSemicolonLines_YieldsEachStatementWithoutComments()
    {
        var statements = ClickHouseMigrations.Split("-- why;\nCREATE TABLE a\n(x UInt8)\nENGINE = Memory;\n\nCREATE TABLE b (y UInt8) ENGINE = Memory;\n");

        Assert.Equal(["CREATE TABLE a\n(x UInt8)\nENGINE = Memory", "CREATE TABLE b (y UInt8) ENGINE = Memory"], statements);
    }
}
