using System.Collections.Concurrent;
using HotDash.Grains;

namespace HotDash.Dashboard.Tests.Traces;

/// <summary>The query source the trace pages read, answering from a list in memory and recording what was asked.</summary>
public sealed class FakeAnalyticsQueryGrain : IAnalyticsQueryGrain
{
    /// <summary>The traces the project has; a query is answered by <see cref="TraceAnswer"/>.</summary>
    public List<TraceSummary> Traces { get; } = [];

    /// <summary>The sessions or users the project has.</summary>
    public List<TraceGroupTotals> Groups { get; } = [];

    /// <summary>How a trace query is answered; by default every query sees <see cref="Traces"/>.</summary>
    public Func<TraceQuery, TracePage>? TraceAnswer { get; set; }

    /// <summary>How a group query is answered; by default every query sees <see cref="Groups"/>.</summary>
    public Func<TraceGroupQuery, TraceGroupPage>? GroupAnswer { get; set; }

    /// <summary>The trace details by (project, trace id).</summary>
    public Dictionary<(string Project, string Id), TraceDetail> Details { get; } = [];

    /// <summary>Every detail read, in order.</summary>
    public ConcurrentQueue<(string Project, string Id)> DetailReads { get; } = new();

    /// <summary>The sessions by (project, session id).</summary>
    public Dictionary<(string Project, string Id), SessionDetail> Sessions { get; } = [];

    /// <summary>Every session read, in order.</summary>
    public ConcurrentQueue<(string Project, string Id)> SessionReads { get; } = new();

    /// <summary>Every trace query, in order.</summary>
    public ConcurrentQueue<TraceQuery> TraceQueries { get; } = new();

    /// <summary>Every group query, in order.</summary>
    public ConcurrentQueue<TraceGroupQuery> GroupQueries { get; } = new();

    /// <summary>A trace with the given level, tokens, cost and latency.</summary>
    public static TraceSummary Trace(string id, string level = "DEFAULT", long tokens = 0, decimal cost = 0, double latency = 0) =>
        new(new TraceRecord(id) { ProjectId = "default", Name = "chat " + id, TimestampMs = 1_780_000_000_000 }, [], [], latency, cost)
        {
            Level = level,
            TotalTokens = tokens,
        };

    public Task<TracePage> QueryTraces(TraceQuery query)
    {
        TraceQueries.Enqueue(query);
        return Task.FromResult(TraceAnswer?.Invoke(query) ?? new TracePage([.. Traces.Take(query.Limit)], Traces.Count));
    }

    public Task<TraceGroupPage> QueryTraceGroups(TraceGroupQuery query)
    {
        GroupQueries.Enqueue(query);
        return Task.FromResult(GroupAnswer?.Invoke(query) ?? new TraceGroupPage([.. Groups.Take(query.Limit)], Groups.Count));
    }

    public Task<TraceDetail?> GetTrace(string projectId, string traceId)
    {
        DetailReads.Enqueue((projectId, traceId));
        return Task.FromResult(Details.GetValueOrDefault((projectId, traceId)));
    }

    public Task<ObservationPage> QueryObservations(ObservationQuery query) => throw new NotSupportedException();

    public Task<ObservationRecord?> GetObservation(string projectId, string observationId) => throw new NotSupportedException();

    public Task<ScorePage> QueryScores(ScoreQuery query) => throw new NotSupportedException();

    public Task<ScoreRecord?> GetScore(string projectId, string scoreId) => throw new NotSupportedException();

    public Task<SessionPage> QuerySessions(SessionQuery query) => throw new NotSupportedException();

    public Task<SessionDetail?> GetSession(string projectId, string sessionId)
    {
        SessionReads.Enqueue((projectId, sessionId));
        return Task.FromResult(Sessions.GetValueOrDefault((projectId, sessionId)));
    }

    public Task<DailyMetricsPage> QueryDailyMetrics(DailyMetricsQuery query) => throw new NotSupportedException();

    public Task<UsageOverview> QueryUsageOverview(UsageOverviewQuery query) => throw new NotSupportedException();
}
