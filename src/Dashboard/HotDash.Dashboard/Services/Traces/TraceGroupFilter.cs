using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>What the sessions and users pages filter on, mapped to <see cref="TraceGroupQuery"/>.</summary>
/// <param name="By">Sessions or users.</param>
public sealed record TraceGroupFilter(TraceGroupKind By)
{
    /// <summary>Only traces in this range count (a preset; the group pages offer no custom range).</summary>
    public TimeRange Range { get; init; } = TimeRange.Last7Days;

    /// <summary>Text in the session or user id, case-insensitive.</summary>
    public string? Search { get; init; }

    /// <summary>Nothing filtered out: all time, no search.</summary>
    public bool IsUnfiltered => Range == TimeRange.All && string.IsNullOrWhiteSpace(Search);

    /// <summary>The query for page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> rows, the range relative to <paramref name="now"/>.</summary>
    public TraceGroupQuery ToQuery(string projectId, int page, int pageSize, DateTimeOffset now)
    {
        var (from, to) = TraceFilter.Bounds(Range == TimeRange.Custom ? TimeRange.All : Range, null, null, now);
        return new TraceGroupQuery(projectId, By, Math.Max(1, page), Math.Clamp(pageSize, 1, 100))
        {
            FromTimestampMs = from?.ToUnixTimeMilliseconds(),
            ToTimestampMs = to?.ToUnixTimeMilliseconds(),
            Search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
        };
    }

    /// <summary>The traces page of one session or user over all time.</summary>
    public string TracesHref(string id) => By == TraceGroupKind.Session ? TraceFilter.Link(sessionId: id) : TraceFilter.Link(userId: id);
}
