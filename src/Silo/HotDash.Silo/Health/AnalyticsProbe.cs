using HotDash.Analytics;
using HotDash.Hosting.Configuration;
using HotDash.Silo.Hosting;

namespace HotDash.Silo.Health;

/// <summary>
/// The analytics store and the archive for the readiness probe: connected once the initializer has migrated (created)
/// them and they answer now (the store's ping; the archive's idempotent ensure), within 2 s each.
/// </summary>
public sealed class AnalyticsProbe(IAnalyticsStore store, IEventArchive archive, AnalyticsInitializer initializer, HotDashConfig config)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>The analytics store's state.</summary>
    public async Task<StoreState> CheckStoreAsync(CancellationToken cancellationToken)
    {
        var ok = initializer.StoreIsReady && await AnswersAsync(store.PingAsync, cancellationToken);
        return new StoreState(store.Kind, ok ? "connected" : "unreachable", config.HotDash.Analytics.Describe());
    }

    /// <summary>The archive's state.</summary>
    public async Task<StoreState> CheckArchiveAsync(CancellationToken cancellationToken)
    {
        var ok = initializer.ArchiveIsReady && await AnswersAsync(archive.EnsureAsync, cancellationToken);
        return new StoreState(archive.Kind, ok ? "connected" : "unreachable", config.HotDash.Archive.Describe());
    }

    private static async Task<bool> AnswersAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe(timeout.Token).WaitAsync(Timeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever the client library throws (HTTP, S3, IO, DuckDB), the answer is the same: not usable now.
            return false;
        }
    }
}
