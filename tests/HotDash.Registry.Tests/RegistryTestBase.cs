using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDash.Registry.Tests;

/// <summary>
/// A fresh database on the test PostgreSQL for every test (xunit makes an instance per test), dropped after it.
/// Without the server a test returns at once (<see cref="Database"/> is null), or fails under CI.
/// </summary>
public abstract class RegistryTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<RegistryDatabase> _registries = [];

    protected ITestOutputHelper Output => output;

    /// <summary>The test's own database, or null when there is no test server (the test then returns).</summary>
    protected TestDatabase? Database { get; private set; }

    protected TestDatabase Db => Database ?? throw new InvalidOperationException("no test database");

    /// <summary>A registry on the test database in <paramref name="schema"/>, with its own connection pool.</summary>
    protected RegistryDatabase Registry(string schema = RegistryDatabase.DefaultSchema)
    {
        var registry = new RegistryDatabase(Db.ConnectionString, schema);
        _registries.Add(registry);
        return registry;
    }

    protected static ILogger<T> Log<T>() => NullLogger<T>.Instance;

    /// <summary>A registry in <paramref name="schema"/> with every migration applied.</summary>
    protected async Task<RegistryDatabase> MigratedAsync(string schema = RegistryDatabase.DefaultSchema)
    {
        var registry = Registry(schema);
        await new RegistryMigrator(registry, Log<RegistryMigrator>()).MigrateAsync(CancellationToken.None);
        return registry;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="schema"/>.</summary>
    protected async Task ExecuteAsync(string sql, string schema = RegistryDatabase.DefaultSchema)
    {
        await using var connection = await Db.OpenAsync();
        await using var command = new NpgsqlCommand($"SET search_path TO \"{schema}\"; {sql}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync() => Database = await TestPostgres.CreateDatabaseAsync(output);

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
