using System.Globalization;
using Npgsql;

namespace HotDash.Testing;

/// <summary>One throwaway database on the test PostgreSQL (<see cref="TestPostgres.CreateDatabaseAsync"/>); disposing it drops it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;

    internal TestDatabase(string serverConnectionString, string name)
    {
        _server = serverConnectionString;
        Name = name;
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name };
        ConnectionString = builder.ConnectionString;
        var user = builder.Username is { Length: > 0 } u ? Uri.EscapeDataString(u) : "";
        var password = builder.Password is { Length: > 0 } p ? ":" + Uri.EscapeDataString(p) : "";
        var auth = user.Length > 0 ? $"{user}{password}@" : "";
        Host = builder.Host ?? "127.0.0.1";
        Port = builder.Port;
        Url = $"postgresql://{auth}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{name}?sslmode=disable";
    }

    public string Name { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>An Npgsql connection string for this database.</summary>
    public string ConnectionString { get; }

    /// <summary>The same as a LiteLLM-style <c>DATABASE_URL</c>: <c>postgresql://user@host:port/name?sslmode=disable</c>.</summary>
    public string Url { get; }

    /// <summary>An open connection to this database, for a test's own queries.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        // FORCE ends the sessions pools still hold open on it (PostgreSQL 13+).
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
