using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>A session with its totals over its traces.</summary>
/// <param name="Session">The session.</param>
/// <param name="Traces">How many traces it has.</param>
/// <param name="TotalCost">Cost of its traces, USD (of the first <see cref="TraceQueryService.SessionCostTraces"/> when <see cref="CostIsPartial"/>).</param>
/// <param name="CostIsPartial">More traces than were summed.</param>
public sealed record SessionTotals(SessionSummary Session, long Traces, decimal TotalCost, bool CostIsPartial);
