namespace HotDash.Registry.Tests;

/// <summary>The registry schema on a real PostgreSQL: created, versioned, idempotent, safe against racing silos.</summary>
public sealed class RegistryMigratorTests(ITestOutputHelper output) : RegistryTestBase(output)
{
    private static readonly string[] Tables = ["teams", "users", "team_memberships", "keys", "spend_logs", "spend_daily", "audit_log", "projects", "project_api_keys", "schema_migrations"];

    [Fact]
    public async Task MigrateAsync_FreshDatabase_CreatesEveryTableAndRecordsTheVersion()
    {
        if (Database is null)
        {
            return;
        }
        var report = await new RegistryMigrator(Registry(), Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);

        Assert.Equal(RegistryMigrations.All.Count, report.SchemaVersion);
        Assert.Equal(RegistryMigrations.All.Select(m => m.Version), report.Applied.Select(m => m.Version));
        Assert.Equal(Tables.Order(StringComparer.Ordinal), await TablesAsync("hotdash"));
        Assert.Equal("1:registry,2:projects", await Db.ScalarAsync<string>("SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM hotdash.schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_UsesLiteLlmColumnNames()
    {
        if (Database is null)
        {
            return;
        }
        await MigratedAsync();

        // LiteLLM_VerificationToken, LiteLLM_TeamTable, LiteLLM_SpendLogs, LiteLLM_AuditLog spell these so.
        await AssertHasColumnsAsync("keys", ["token", "key_name", "key_alias", "team_id", "user_id", "models", "aliases", "max_budget",
            "budget_duration", "budget_reset_at", "tpm_limit", "rpm_limit", "max_parallel_requests", "model_max_budget", "metadata", "blocked",
            "expires", "spend", "model_spend", "created_by", "updated_by", "created_at", "updated_at", "model_rpm_limit", "model_tpm_limit"]);
        await AssertHasColumnsAsync("teams", ["team_id", "team_alias", "models", "max_budget", "spend", "tpm_limit", "rpm_limit",
            "max_parallel_requests", "budget_duration", "budget_reset_at", "blocked", "metadata", "model_max_budget", "model_spend"]);
        await AssertHasColumnsAsync("users", ["user_id", "user_alias", "user_email", "user_role", "max_budget", "spend", "models"]);
        await AssertHasColumnsAsync("spend_logs", ["request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens",
            "completion_tokens", "model", "model_id", "model_group", "team_id", "end_user", "status", "metadata", "cache_hit"]);
        await AssertHasColumnsAsync("audit_log", ["id", "updated_at", "changed_by", "changed_by_api_key", "action", "table_name",
            "object_id", "before_value", "updated_values"]);
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_SecondRunIsANoOpAndKeepsTheData()
    {
        if (Database is null)
        {
            return;
        }
        var registry = await MigratedAsync();
        await ExecuteAsync("INSERT INTO teams (team_id, team_alias, max_budget) VALUES ('t1', 'alpha', 10)");

        var again = await new RegistryMigrator(registry, Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);
        var fromAnotherProcess = await new RegistryMigrator(Registry(), Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);

        Assert.Empty(again.Applied);
        Assert.Empty(fromAnotherProcess.Applied);
        Assert.Equal(RegistryMigrations.All.Count, again.SchemaVersion);
        Assert.Equal(RegistryMigrations.All.Count, await Db.ScalarAsync<long>("SELECT count(*) FROM hotdash.schema_migrations"));
        Assert.Equal("alpha", await Db.ScalarAsync<string>("SELECT team_alias FROM hotdash.teams WHERE team_id = 't1'"));
    }

    [Fact]
    public async Task MigrateAsync_FourMigratorsRacing_ApplyEachMigrationExactlyOnce()
    {
        if (Database is null)
        {
            return;
        }
        // Each migrator has its own pool, as separate silos would; a migration that ran twice would fail (table exists).
        var migrators = Enumerable.Range(0, 4).Select(_ => new RegistryMigrator(Registry(), Log<RegistryMigrator>())).ToList();

        var reports = await Task.WhenAll(migrators.Select(m => Task.Run(() => m.MigrateAsync(CancellationToken.None))));

        Assert.Equal(RegistryMigrations.All.Select(m => m.Version), reports.SelectMany(r => r.Applied).Select(m => m.Version).Order());
        Assert.All(reports, r => Assert.Equal(RegistryMigrations.All.Count, r.SchemaVersion));
        Assert.Equal(Tables.Order(StringComparer.Ordinal), await TablesAsync("hotdash"));
    }

    [Fact]
    public async Task MigrateAsync_SlowMigrationsRacing_TheLaterMigratorWaitsAndFindsNothingToDo()
    {
        if (Database is null)
        {
            return;
        }
        // Slow enough that both certainly overlap: without the advisory lock the second CREATE TABLE would fail.
        Migration[] slow =
        [
            new(1, "first", "CREATE TABLE first_table (id int); SELECT pg_sleep(0.4);"),
            new(2, "second", "CREATE TABLE second_table (id int); SELECT pg_sleep(0.4);"),
        ];
        var a = new RegistryMigrator(Registry("racing"), Log<RegistryMigrator>(), slow);
        var b = new RegistryMigrator(Registry("racing"), Log<RegistryMigrator>(), slow);

        var reports = await Task.WhenAll(Task.Run(() => a.MigrateAsync(CancellationToken.None)), Task.Run(() => b.MigrateAsync(CancellationToken.None)));

        Assert.Equal([1, 2], reports.SelectMany(r => r.Applied).Select(m => m.Version).Order());
        Assert.Contains(reports, r => r.Applied.Count == 0);
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT count(*) FROM racing.schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RollsItBackAndTheNextRunResumesThere()
    {
        if (Database is null)
        {
            return;
        }
        Migration first = new(1, "first", "CREATE TABLE first_table (id int);");
        Migration broken = new(2, "second", "CREATE TABLE second_table (id int); SELECT 1 / 0;");
        Migration fixedSecond = new(2, "second", "CREATE TABLE second_table (id int);");

        var failure = await Assert.ThrowsAsync<PostgresException>(() =>
            new RegistryMigrator(Registry("resume"), Log<RegistryMigrator>(), [first, broken]).MigrateAsync(CancellationToken.None));
        var afterFailure = await Db.ScalarAsync<string>("SELECT string_agg(version::text, ',') FROM resume.schema_migrations");
        var halfWritten = await Db.ScalarAsync<bool>("SELECT to_regclass('resume.second_table') IS NOT NULL");
        var resumed = await new RegistryMigrator(Registry("resume"), Log<RegistryMigrator>(), [first, fixedSecond]).MigrateAsync(CancellationToken.None);

        Assert.Equal("22012", failure.SqlState); // division_by_zero
        Assert.Equal("1", afterFailure);
        Assert.False(halfWritten);
        Assert.Equal([2], resumed.Applied.Select(m => m.Version));
        Assert.Equal(2, resumed.SchemaVersion);
    }

    [Fact]
    public async Task MigrateAsync_ConfiguredSchema_PutsEveryTableThereAndNothingElsewhere()
    {
        if (Database is null)
        {
            return;
        }
        await MigratedAsync("tenant_a");

        Assert.Equal(Tables.Order(StringComparer.Ordinal), await TablesAsync("tenant_a"));
        Assert.Empty(await TablesAsync("hotdash"));
        Assert.Empty(await TablesAsync("public"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaCreatedByAnAdmin_IsUsedAsItIs()
    {
        if (Database is null)
        {
            return;
        }
        await ExecuteAsync("CREATE SCHEMA hotdash; CREATE TABLE hotdash.unrelated (id int)", "public");

        var report = await new RegistryMigrator(Registry(), Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);

        Assert.Equal(RegistryMigrations.All.Count, report.Applied.Count);
        Assert.Equal(Tables.Append("unrelated").Order(StringComparer.Ordinal), await TablesAsync("hotdash"));
    }

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanThisBuild_RunsOnItUnchanged()
    {
        if (Database is null)
        {
            return;
        }
        await MigratedAsync();
        await ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (999, 'from-a-newer-hotdash')");

        var report = await new RegistryMigrator(Registry(), Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);

        Assert.Empty(report.Applied);
        Assert.Equal(999, report.SchemaVersion);
    }

    [Fact]
    public async Task KeysTable_RawKeyInsteadOfItsHash_IsRejected()
    {
        if (Database is null)
        {
            return;
        }
        await MigratedAsync();

        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("INSERT INTO keys (token) VALUES ('sk-1234567890')"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task TeamsTable_DuplicateAliasOrNegativeLimit_IsRejected()
    {
        if (Database is null)
        {
            return;
        }
        await MigratedAsync();
        await ExecuteAsync("INSERT INTO teams (team_id, team_alias) VALUES ('t1', 'alpha')");

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("INSERT INTO teams (team_id, team_alias) VALUES ('t2', 'alpha')"));
        var negative = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("INSERT INTO teams (team_id, rpm_limit) VALUES ('t3', -1)"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        Assert.Equal(PostgresErrorCodes.CheckViolation, negative.SqlState);
    }

    [Fact]
    public void Migrations_Embedded_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, RegistryMigrations.All.Count), RegistryMigrations.All.Select(m => m.Version));
        Assert.Equal("registry", RegistryMigrations.All[0].Name);
    }

    private async Task<List<string>> TablesAsync(string schema)
    {
        await using var connection = await Db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name COLLATE \"C\"", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private async Task AssertHasColumnsAsync(string table, string[] expected)
    {
        var columns = await ColumnsAsync(table);
        var missing = expected.Where(c => !columns.Contains(c)).ToList();
        Assert.True(missing.Count == 0, $"{table} lacks {string.Join(", ", missing)}");
    }

    private async Task<HashSet<string>> ColumnsAsync(string table)
    {
        await using var connection = await Db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = 'hotdash' AND table_name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var names = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
