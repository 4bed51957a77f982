using System.Collections.Immutable;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// What the traces page filters on, mapped to <see cref="TraceQuery"/>. Only filters the query record can carry are
/// here: the analytics store pages on the server, so a filter it cannot apply would only filter one page.
/// </summary>
public sealed record TraceFilter
{
    /// <summary>The time range.</summary>
    public TimeRange Range { get; init; } = TimeRange.LastDay;

    /// <summary>Start of a <see cref="TimeRange.Custom"/> range (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of a <see cref="TimeRange.Custom"/> range (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Trace name (exact).</summary>
    public string? Name { get; init; }

    /// <summary>Langfuse user id (exact).</summary>
    public string? UserId { get; init; }

    /// <summary>Langfuse session id (exact).</summary>
    public string? SessionId { get; init; }

    /// <summary>Tags, comma separated; the trace must have every one.</summary>
    public string? Tags { get; init; }

    /// <summary>Environments, comma separated; any of them.</summary>
    public string? Environments { get; init; }

    /// <summary>Release (exact).</summary>
    public string? Release { get; init; }

    /// <summary>Version (exact).</summary>
    public string? Version { get; init; }

    /// <summary>Oldest first instead of newest first.</summary>
    public bool OldestFirst { get; init; }

    /// <summary>The query for page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> traces, time ranges relative to <paramref name="now"/>.</summary>
    public TraceQuery ToQuery(string projectId, int page, int pageSize, DateTimeOffset now)
    {
        var (from, to) = Bounds(now);
        return new TraceQuery(projectId, Math.Max(1, page), Math.Clamp(pageSize, 1, 100))
        {
            Name = Text(Name),
            UserId = Text(UserId),
            SessionId = Text(SessionId),
            Release = Text(Release),
            Version = Text(Version),
            Tags = List(Tags),
            Environments = List(Environments),
            FromTimestampMs = from?.ToUnixTimeMilliseconds(),
            ToTimestampMs = to?.ToUnixTimeMilliseconds(),
            OrderBy = "timestamp",
            Ascending = OldestFirst,
        };
    }

    /// <summary>The range's bounds: inclusive start, exclusive end; <see langword="null"/> for an open side.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Bounds(DateTimeOffset now) => Range switch
    {
        TimeRange.LastHour => (now.AddHours(-1), null),
        TimeRange.LastDay => (now.AddDays(-1), null),
        TimeRange.Last7Days => (now.AddDays(-7), null),
        TimeRange.Last30Days => (now.AddDays(-30), null),
        TimeRange.Custom => (From, To),
        _ => (null, null),
    };

    /// <summary>The filter as a <c>/traces</c> query string (for links from the sessions and users pages).</summary>
    public static string Link(string? userId = null, string? sessionId = null)
    {
        var parts = new List<string> { "range=" + TimeRange.All.ToString().ToLowerInvariant() };
        if (!string.IsNullOrWhiteSpace(userId))
        {
            parts.Add("user=" + Uri.EscapeDataString(userId));
        }
        if (!string.IsNullOrWhiteSpace(sessionId))
        {
            parts.Add("session=" + Uri.EscapeDataString(sessionId));
        }
        return "traces?" + string.Join('&', parts);
    }

    /// <summary>Parses a <c>range</c> query value (case-insensitive enum name); <see langword="null"/> when unknown.</summary>
    public static TimeRange? ParseRange(string? value) =>
        Enum.TryParse<TimeRange>(value, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r : null;

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static ImmutableArray<string> List(string? s) => string.IsNullOrWhiteSpace(s)
        ? []
        : [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
