using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// What the session page shows: the session, its traces oldest first and the totals computed from them (the session
/// detail itself carries no cost, tokens or latency, so they come from the trace list's summaries).
/// </summary>
/// <param name="Session">The session as the analytics store describes it.</param>
/// <param name="Traces">Its traces, oldest first.</param>
/// <param name="TotalCost">Sum of the traces' cost, USD; <see langword="null"/> when some trace has no summary.</param>
/// <param name="TotalTokens">Sum of the traces' tokens; <see langword="null"/> when some trace has no summary.</param>
public sealed record SessionView(SessionSummary Session, ImmutableArray<SessionTrace> Traces, decimal? TotalCost, long? TotalTokens)
{
    /// <summary>The first trace's time (epoch ms), else the session's creation time.</summary>
    public long? FirstTraceMs => Traces.Select(t => t.Trace.TimestampMs).Where(t => t is not null).Min() ?? Session.CreatedAtMs;

    /// <summary>The last trace's time (epoch ms).</summary>
    public long? LastTraceMs => Traces.Select(t => t.Trace.TimestampMs).Where(t => t is not null).Max() ?? Session.CreatedAtMs;

    /// <summary>The users whose traces are in the session, in order of first appearance.</summary>
    public ImmutableArray<string> Users =>
        [.. Traces.Select(t => t.Trace.UserId).OfType<string>().Where(u => u.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Joins the session's traces with their summaries (by trace id) and sums cost and tokens when every trace has one.
    /// </summary>
    public static SessionView Of(SessionDetail detail, IEnumerable<TraceSummary> summaries)
    {
        var byId = new Dictionary<string, TraceSummary>(StringComparer.Ordinal);
        foreach (var s in summaries)
        {
            byId.TryAdd(s.Trace.Id, s);
        }
        // The store already sorts oldest first; sorting again keeps the page right for any store (ties by id, as it does).
        var traces = detail.Traces
            .OrderBy(t => t.TimestampMs ?? long.MaxValue)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new SessionTrace(t, byId.GetValueOrDefault(t.Id)))
            .ToImmutableArray();
        var complete = traces.All(t => t.Summary is not null);
        return new SessionView(
            detail.Session,
            traces,
            complete ? traces.Sum(t => t.Summary!.TotalCost) : null,
            complete ? traces.Sum(t => t.Summary!.TotalTokens) : null);
    }
}
