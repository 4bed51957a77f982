using System.Globalization;
using HotDash.Analytics;
using HotDash.Hosting.Configuration;

namespace HotDash.Silo.Hosting;

/// <summary>
/// Retention (<c>hotdash.analytics.retention_days</c>): once the store is migrated, and then daily, drops every month of
/// traces, observations and scores that lies wholly before today minus the retention (whole monthly partitions: ClickHouse
/// 18.16 has no table TTL, and dropping a partition is instant). Every silo runs it; a second drop of the same months finds
/// nothing. A failure is logged and tried again an hour later.
/// </summary>
public sealed class RetentionService(
    IAnalyticsStore store,
    AnalyticsInitializer initializer,
    HotDashConfig config,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromDays(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.HotDash.Analytics.RetentionDays is not { } days)
        {
            return;
        }
        try
        {
            await initializer.StoreReady.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = await RunOnceAsync(days, stoppingToken) ? Interval : RetryAfterFailure;
                await Task.Delay(next, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One pass: the cutoff is today (UTC) minus <paramref name="days"/>. True when it completed.</summary>
    public async Task<bool> RunOnceAsync(int days, CancellationToken cancellationToken)
    {
        var cutoff = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-days);
        var day = cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        try
        {
            var dropped = await store.DropMonthsBeforeAsync(cutoff, cancellationToken);
            if (dropped.Count > 0)
            {
                AnalyticsLog.RetentionDropped(logger, days, string.Join(", ", dropped.Select(m => m.ToString(CultureInfo.InvariantCulture))), day);
            }
            else
            {
                AnalyticsLog.RetentionNothing(logger, days, day);
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store's own failure (unreachable, refused): the next pass tries again.
            AnalyticsLog.RetentionFailed(logger, day, e.Message.ReplaceLineEndings(" "), RetryAfterFailure.TotalMinutes);
            return false;
        }
    }
}
