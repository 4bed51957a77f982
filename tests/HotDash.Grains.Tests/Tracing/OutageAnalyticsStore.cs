using System.Collections.Concurrent;
using HotDash.Analytics;

namespace HotDash.Grains.Tests.Tracing;

/// <summary>
/// The real store behind a switch: while <see cref="Down"/> every call fails as an unreachable store does. Records the
/// rows of every successful write, in order.
/// </summary>
public sealed class OutageAnalyticsStore(IAnalyticsStore inner) : IAnalyticsStore
{
    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    /// <summary>The rows of every write that reached the store, in the order they were written.</summary>
    public ConcurrentQueue<AnalyticsRows> Written { get; } = new();

    public IAnalyticsStore Inner => inner;

    public string Kind => inner.Kind;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.PingAsync(cancellationToken); }

    public async Task WriteAsync(AnalyticsRows rows, CancellationToken cancellationToken = default)
    {
        ThrowIfDown();
        await inner.WriteAsync(rows, cancellationToken);
        Written.Enqueue(rows);
    }

    public Task<IReadOnlyList<TraceRecord>> GetTracesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetTracesAsync(keys, cancellationToken); }

    public Task<IReadOnlyList<ObservationRecord>> GetObservationsAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetObservationsAsync(keys, cancellationToken); }

    public Task<IReadOnlyList<ScoreRecord>> GetScoresAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetScoresAsync(keys, cancellationToken); }

    public Task<TracePage> QueryTracesAsync(TraceQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryTracesAsync(query, cancellationToken); }

    public Task<TraceDetail?> GetTraceAsync(string projectId, string traceId, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetTraceAsync(projectId, traceId, cancellationToken); }

    public Task<ObservationPage> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryObservationsAsync(query, cancellationToken); }

    public Task<ScorePage> QueryScoresAsync(ScoreQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryScoresAsync(query, cancellationToken); }

    public Task<SessionPage> QuerySessionsAsync(SessionQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QuerySessionsAsync(query, cancellationToken); }

    public Task<SessionDetail?> GetSessionAsync(string projectId, string sessionId, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.GetSessionAsync(projectId, sessionId, cancellationToken); }

    public Task<DailyMetricsPage> QueryDailyMetricsAsync(DailyMetricsQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryDailyMetricsAsync(query, cancellationToken); }

    public Task<UsageOverview> QueryUsageOverviewAsync(UsageOverviewQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryUsageOverviewAsync(query, cancellationToken); }

    public Task<TraceGroupPage> QueryTraceGroupsAsync(TraceGroupQuery query, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.QueryTraceGroupsAsync(query, cancellationToken); }

    public Task<IReadOnlyList<int>> DropMonthsBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken = default) { ThrowIfDown(); return inner.DropMonthsBeforeAsync(cutoff, cancellationToken); }

    private void ThrowIfDown()
    {
        if (_down)
        {
            throw new HttpRequestException("analytics store unreachable (test outage)");
        }
    }
}
