using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>One trace of a session page: the stored trace and, when the trace list returned it, its computed totals.</summary>
/// <param name="Trace">The trace as <see cref="IAnalyticsQueryGrain.GetSession"/> returned it.</param>
/// <param name="Summary">Its latency, cost and tokens; <see langword="null"/> when the session has more traces than the page reads totals for.</param>
public sealed record SessionTrace(TraceRecord Trace, TraceSummary? Summary);
