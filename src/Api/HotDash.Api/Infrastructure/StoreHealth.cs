using HotDash.Hosting.Configuration;
using StackExchange.Redis;

namespace HotDash.Api.Infrastructure;

/// <summary>Probes the configured stores for readiness; the embedded defaults report null (nothing to probe).</summary>
internal sealed class StoreHealth(HotDashConfig config) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ConnectionMultiplexer? redis;

    public async Task<string?> RedisStatusAsync(CancellationToken ct)
    {
        if (config.Infrastructure.RedisConnectionString is not { } cs)
        {
            return null;
        }
        try
        {
            await gate.WaitAsync(ct);
            try
            {
                redis ??= await ConnectionMultiplexer.ConnectAsync(cs);
            }
            finally
            {
                gate.Release();
            }
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), ct);
            return "connected";
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            return "unreachable";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
        gate.Dispose();
    }
}
