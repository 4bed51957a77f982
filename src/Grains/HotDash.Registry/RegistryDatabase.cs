using Npgsql;

namespace HotDash.Registry;

/// <summary>
/// The registry's PostgreSQL database: one <see cref="NpgsqlDataSource"/>, built on first use, whose connections
/// have <c>search_path</c> set to the HotDash schema, so every statement names its tables unqualified.
/// </summary>
public sealed class RegistryDatabase : IAsyncDisposable
{
    /// <summary>The schema HotDash's tables live in when none is configured.</summary>
    public const string DefaultSchema = "hotdash";

    private readonly Lazy<NpgsqlDataSource> _dataSource;

    /// <param name="connectionString">An Npgsql connection string (HotDash converts <c>postgresql://</c> URLs when the config loads).</param>
    /// <param name="schema">A lower-case SQL name (checked when the config loads, and again here).</param>
    public RegistryDatabase(string connectionString, string schema = DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (!IsSchemaName(schema))
        {
            throw new ArgumentException($"\"{schema}\" is not a lower-case SQL name", nameof(schema));
        }
        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "hotdash";
        }
        // A host list (a:5432,b:5433) or a socket folder carries no separate port.
        var host = builder.Host ?? "";
        var where = host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/') ? host : $"{host}:{builder.Port}";
        Endpoint = builder.Database is { Length: > 0 } db ? $"{where}/{db}" : where;
        var cs = builder.ConnectionString;
        _dataSource = new Lazy<NpgsqlDataSource>(() => NpgsqlDataSource.Create(cs), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The schema of HotDash's tables.</summary>
    public string Schema { get; }

    /// <summary><c>host:port/database</c>, for messages: never the password.</summary>
    public string Endpoint { get; }

    /// <summary>The pooled data source; connections open with <c>search_path</c> = <see cref="Schema"/>.</summary>
    public NpgsqlDataSource DataSource => _dataSource.Value;

    /// <summary>The schema as a quoted SQL identifier, for DDL.</summary>
    internal string QuotedSchema => $"\"{Schema}\"";

    /// <summary>True when <c>SELECT 1</c> answers within <paramref name="timeout"/>; false on any connection or server error.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await using var command = DataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
            await command.ExecuteScalarAsync(cts.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True for a lower-case, unquoted SQL name HotDash accepts as its schema.</summary>
    public static bool IsSchemaName(string? name) =>
        name is { Length: > 0 and <= 63 } && !name.StartsWith("pg_", StringComparison.Ordinal) && name[0] is (>= 'a' and <= 'z') or '_'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    public async ValueTask DisposeAsync()
    {
        if (_dataSource.IsValueCreated)
        {
            await _dataSource.Value.DisposeAsync();
        }
    }
}
