using HotDash.Analytics;
using Orleans.Concurrency;

namespace HotDash.Grains.Analytics;

/// <summary>
/// The analytics reads, straight to this silo's <see cref="IAnalyticsStore"/>. A reentrant stateless worker: each silo
/// answers the queries that reach it without another hop, and with the embedded DuckDB store (which lives in one silo's
/// process) the query runs where the data is. Store failures are not caught: the caller sees them.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class AnalyticsQueryGrain(IAnalyticsStore store) : Grain, IAnalyticsQueryGrain
{
    /// <inheritdoc/>
    public Task<TracePage> QueryTraces(TraceQuery query) => store.QueryTracesAsync(query);

    /// <inheritdoc/>
    public Task<TraceDetail?> GetTrace(string projectId, string traceId) => store.GetTraceAsync(projectId, traceId);

    /// <inheritdoc/>
    public Task<ObservationPage> QueryObservations(ObservationQuery query) => store.QueryObservationsAsync(query);

    /// <inheritdoc/>
    public async Task<ObservationRecord?> GetObservation(string projectId, string observationId)
    {
        var found = await store.GetObservationsAsync([new EntityKey(projectId, observationId)]);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<ScorePage> QueryScores(ScoreQuery query) => store.QueryScoresAsync(query);

    /// <inheritdoc/>
    public async Task<ScoreRecord?> GetScore(string projectId, string scoreId)
    {
        var found = await store.GetScoresAsync([new EntityKey(projectId, scoreId)]);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<SessionPage> QuerySessions(SessionQuery query) => store.QuerySessionsAsync(query);

    /// <inheritdoc/>
    public Task<SessionDetail?> GetSession(string projectId, string sessionId) => store.GetSessionAsync(projectId, sessionId);

    /// <inheritdoc/>
    public Task<DailyMetricsPage> QueryDailyMetrics(DailyMetricsQuery query) => store.QueryDailyMetricsAsync(query);

    /// <inheritdoc/>
    public Task<UsageOverview> QueryUsageOverview(UsageOverviewQuery query) => store.QueryUsageOverviewAsync(query);

    /// <inheritdoc/>
    public Task<TraceGroupPage> QueryTraceGroups(TraceGroupQuery query) => store.QueryTraceGroupsAsync(query);
}
