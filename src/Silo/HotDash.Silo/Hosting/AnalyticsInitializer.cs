using HotDash.Grains.Tracing;
using Microsoft.Extensions.Options;
using HotDash.Analytics;
using HotDash.Hosting.Configuration;

namespace HotDash.Silo.Hosting;

/// <summary>
/// Migrates the analytics store and creates the archive's bucket or folder. The silo runs the first attempt before its
/// host starts (next to the registry migration), so grains normally find both ready; a configured ClickHouse or S3 that
/// does not answer does not stop the silo (traces wait in the archive and the writer shards): it is logged, readiness
/// reports it, and this service retries in the background, backing off from 2 s to a minute, until both are ready.
/// </summary>
public sealed class AnalyticsInitializer(
    IAnalyticsStore store,
    IEventArchive archive,
    HotDashConfig config,
    IOptions<TracingPipelineOptions> pipeline,
    TimeProvider time,
    ILogger<AnalyticsInitializer> logger) : BackgroundService
{
    /// <summary>How long one attempt may take before it counts as unreachable.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource _storeReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _archiveReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _retry = FirstRetry;

    /// <summary>True once the store's schema is migrated.</summary>
    public bool StoreIsReady => _storeReady.Task.IsCompleted;

    /// <summary>True once the archive's bucket or folder exists.</summary>
    public bool ArchiveIsReady => _archiveReady.Task.IsCompleted;

    /// <summary>Completes once the store's schema is migrated (retention waits for it).</summary>
    public Task StoreReady => _storeReady.Task;

    /// <summary>Logs which store and archive the silo uses (never a credential).</summary>
    public void LogChoice()
    {
        var analytics = config.HotDash.Analytics;
        var source = analytics.ClickHouseUrl is null ? "" : $" (user {analytics.ClickHouseUser ?? "default"})";
        AnalyticsLog.StoreChosen(logger, StoreName, analytics.Describe(), source);
        var a = config.HotDash.Archive;
        AnalyticsLog.ArchiveChosen(logger, ArchiveName, a.Describe(),
            a.S3Endpoint is null ? "" : $", prefix \"{a.Prefix}\", region {a.Region}{(a.AccessKey is null ? ", anonymous" : "")}");
        var t = config.HotDash.Tracing;
        var p = pipeline.Value;
        AnalyticsLog.TracingPipeline(logger, p.MaxBatchEvents, p.FlushInterval.TotalMilliseconds, p.Shards,
            t.Enabled ? "" : " (gateway tracing is off: hotdash.tracing.enabled)");
    }

    /// <summary>One attempt at whatever is not ready yet; true when both are ready. Never throws for a store that fails.</summary>
    public async Task<bool> TryInitializeAsync(CancellationToken cancellationToken)
    {
        if (!StoreIsReady)
        {
            await AttemptAsync(store.MigrateAsync, _storeReady,
                () => AnalyticsLog.StoreReady(logger, StoreName, config.HotDash.Analytics.Describe()),
                reason => AnalyticsLog.StoreFailed(logger, StoreName, config.HotDash.Analytics.Describe(), reason, _retry.TotalSeconds),
                cancellationToken);
        }
        if (!ArchiveIsReady)
        {
            await AttemptAsync(archive.EnsureAsync, _archiveReady,
                () => AnalyticsLog.ArchiveReady(logger, ArchiveName, config.HotDash.Archive.Describe()),
                reason => AnalyticsLog.ArchiveFailed(logger, ArchiveName, config.HotDash.Archive.Describe(), reason, _retry.TotalSeconds),
                cancellationToken);
        }
        return StoreIsReady && ArchiveIsReady;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!(StoreIsReady && ArchiveIsReady) && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_retry, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, MaxRetry.Ticks));
            await TryInitializeAsync(stoppingToken);
        }
    }

    private string StoreName => config.HotDash.Analytics.ClickHouseUrl is null ? "DuckDB (embedded)" : "ClickHouse";

    private string ArchiveName => config.HotDash.Archive.S3Endpoint is null ? "folder (embedded)" : "S3";

    private async Task AttemptAsync(Func<CancellationToken, Task> attempt, TaskCompletionSource ready, Action onReady, Action<string> onFailed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            await attempt(timeout.Token).WaitAsync(AttemptTimeout, time, cancellationToken);
            ready.TrySetResult();
            onReady();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
        catch (Exception e)
        {
            // Any failure of a store we do not own the code of (HTTP, S3, DuckDB, IO): logged with its message, never
            // fatal; the message names hosts, not credentials (the URL and keys never reach these clients' messages).
            onFailed(Redact(Describe(e)));
        }
    }

    // Belt and braces: whatever a client library puts in its message, a configured secret never reaches the log.
    private string Redact(string message)
    {
        foreach (var secret in new[] { config.HotDash.Analytics.ClickHousePassword, config.HotDash.Archive.SecretKey })
        {
            if (secret is { Length: > 0 })
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }
        return message;
    }

    private static string Describe(Exception e)
    {
        if (e is TimeoutException or OperationCanceledException)
        {
            return $"no answer within {AttemptTimeout.TotalSeconds:0} s";
        }
        var inner = e;
        while (inner.InnerException is not null && inner is HttpRequestException or AggregateException)
        {
            inner = inner.InnerException;
        }
        var message = inner.Message.ReplaceLineEndings(" ");
        return message.Length > 300 ? $"{inner.GetType().Name}: {message[..300]}..." : $"{inner.GetType().Name}: {message}";
    }
}
