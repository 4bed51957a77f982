namespace HotDash.Grains;

/// <summary>
/// Reads of the analytics store (ClickHouse, or the embedded DuckDB store, which lives in the silo) for the
/// Langfuse-compatible public API and the dashboard (key: <see cref="DefaultKey"/>, a stateless worker). Rows are
/// the merged ones; deleted rows are never returned.
/// </summary>
public interface IAnalyticsQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The key every caller uses.</summary>
    const long DefaultKey = 0;

    /// <summary>A page of traces.</summary>
    Task<TracePage> QueryTraces(TraceQuery query);

    /// <summary>One trace with its observations and scores; <see langword="null"/> if there is none.</summary>
    Task<TraceDetail?> GetTrace(string projectId, string traceId);

    /// <summary>A page of observations.</summary>
    Task<ObservationPage> QueryObservations(ObservationQuery query);

    /// <summary>One observation; <see langword="null"/> if there is none.</summary>
    Task<ObservationRecord?> GetObservation(string projectId, string observationId);

    /// <summary>A page of scores.</summary>
    Task<ScorePage> QueryScores(ScoreQuery query);

    /// <summary>One score; <see langword="null"/> if there is none.</summary>
    Task<ScoreRecord?> GetScore(string projectId, string scoreId);

    /// <summary>A page of sessions.</summary>
    Task<SessionPage> QuerySessions(SessionQuery query);

    /// <summary>One session with its traces; <see langword="null"/> if no trace has that session id.</summary>
    Task<SessionDetail?> GetSession(string projectId, string sessionId);

    /// <summary>A page of daily metrics.</summary>
    Task<DailyMetricsPage> QueryDailyMetrics(DailyMetricsQuery query);

    /// <summary>The dashboard's usage overview: totals, a series, breakdowns by model and team, top users and keys.</summary>
    Task<UsageOverview> QueryUsageOverview(UsageOverviewQuery query);

    /// <summary>A page of sessions or users with their totals.</summary>
    Task<TraceGroupPage> QueryTraceGroups(TraceGroupQuery query);
}
