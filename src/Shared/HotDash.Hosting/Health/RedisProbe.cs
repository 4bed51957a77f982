using HotDash.Hosting.Configuration;
using StackExchange.Redis;

namespace HotDash.Hosting.Health;

/// <summary>
/// PINGs the configured Redis for the readiness probes (silo and gateway) over one lazily opened connection (a connection
/// per probe would cost a handshake every few seconds). Not configured: <see cref="PingAsync"/> returns null.
/// </summary>
public sealed class RedisProbe(HotDashConfig config) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>True when Redis is configured.</summary>
    public bool IsConfigured => config.Infrastructure.RedisConnectionString is not null;

    /// <summary>"connected" or "unreachable"; null when no Redis is configured.</summary>
    public async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        if (config.Infrastructure.RedisConnectionString is not { } cs)
        {
            return null;
        }
        try
        {
            var connection = await ConnectAsync(cs, cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return "connected";
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            return "unreachable";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } c)
        {
            await c.DisposeAsync();
        }
        _connectLock.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string cs, CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(cs);
                // Reconnect in the background after an outage rather than failing the first probe forever.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = (int)Timeout.TotalMilliseconds;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }
            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
