using HotDash.Hosting.Configuration;
using Npgsql;

namespace HotDash.Api.Infrastructure;

/// <summary>
/// Probes the registry's PostgreSQL for readiness over a lazily created two-connection pool (a connection per
/// probe would cost a handshake every few seconds); with no database configured it reports null.
/// </summary>
internal sealed class DatabaseHealth(HotDashConfig config) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Lazy<NpgsqlDataSource?> database = new(() => CreateDataSource(config), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>SELECT 1</c> on the registry's PostgreSQL: "connected" or "unreachable"; null when no database is configured.</summary>
    public async Task<string?> DatabaseStatusAsync(CancellationToken ct)
    {
        if (database.Value is not { } source)
        {
            return null;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        try
        {
            await using var command = source.CreateCommand("SELECT 1");
            command.CommandTimeout = (int)Timeout.TotalSeconds;
            await command.ExecuteScalarAsync(cts.Token);
            return "connected";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return "unreachable";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (database is { IsValueCreated: true, Value: { } source })
        {
            await source.DisposeAsync();
        }
    }

    // A small pool of its own: readiness needs one connection at a time, and never the gateway's request path.
    private static NpgsqlDataSource? CreateDataSource(HotDashConfig config)
    {
        if (config.Infrastructure.Database is not { } db)
        {
            return null;
        }
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 2 };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "hotdash-gateway";
        }
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
