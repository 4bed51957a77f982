using System.Collections.Immutable;
using System.Globalization;
using HotDash.Grains;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// What the traces page filters on, mapped to <see cref="TraceQuery"/>. Only filters the query record can carry are
/// here: the analytics store pages on the server, so a filter it cannot apply would only filter one page. A value is
/// already valid (see <see cref="TraceFilterForm"/> for the text the page edits) and compares by value, so the page can
/// tell whether the URL changed what it shows.
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

    /// <summary>Team id (exact): an observation of the trace was made for it.</summary>
    public string? TeamId { get; init; }

    /// <summary>Key alias (exact): an observation of the trace was made with that key.</summary>
    public string? KeyAlias { get; init; }

    /// <summary>Model or model group (exact) of an observation of the trace.</summary>
    public string? Model { get; init; }

    /// <summary>The trace's level, any of these; <see cref="TraceLevels.None"/> for every level.</summary>
    public TraceLevels Levels { get; init; }

    /// <summary>Total cost at least this many dollars.</summary>
    public decimal? MinCost { get; init; }

    /// <summary>Total cost at most this many dollars.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>Latency at least this many seconds.</summary>
    public double? MinLatencySeconds { get; init; }

    /// <summary>Latency at most this many seconds.</summary>
    public double? MaxLatencySeconds { get; init; }

    /// <summary>Text in the trace's id, name, input or output (or its observations' input or output), case-insensitive.</summary>
    public string? Search { get; init; }

    /// <summary>Oldest first instead of newest first.</summary>
    public bool OldestFirst { get; init; }

    /// <summary>Nothing filtered out: all time, no other filter (the order does not filter).</summary>
    public bool IsUnfiltered => this with { OldestFirst = false } == Everything;

    /// <summary>Every trace: all time, no filter.</summary>
    public static TraceFilter Everything { get; } = new() { Range = TimeRange.All };

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
            TeamId = Text(TeamId),
            KeyAlias = Text(KeyAlias),
            Model = Text(Model),
            Levels = TraceLevelNames.Names(Levels),
            MinCost = MinCost,
            MaxCost = MaxCost,
            MinLatencySeconds = MinLatencySeconds,
            MaxLatencySeconds = MaxLatencySeconds,
            Search = Text(Search),
        };
    }

    /// <summary>The range's bounds: inclusive start, exclusive end; <see langword="null"/> for an open side.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Bounds(DateTimeOffset now) => Bounds(Range, From, To, now);

    /// <summary>The bounds of <paramref name="range"/> (custom: <paramref name="from"/> to <paramref name="to"/>) relative to <paramref name="now"/>.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Bounds(TimeRange range, DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now) => range switch
    {
        TimeRange.LastHour => (now.AddHours(-1), null),
        TimeRange.LastDay => (now.AddDays(-1), null),
        TimeRange.Last7Days => (now.AddDays(-7), null),
        TimeRange.Last30Days => (now.AddDays(-30), null),
        TimeRange.Custom => (from, to),
        _ => (null, null),
    };

    /// <summary>
    /// The filter as a query string without the <c>?</c> (parsed back by <see cref="TraceFilterForm.Parse"/>): the range
    /// always, every other filter only when set.
    /// </summary>
    public string ToQueryString()
    {
        var parts = new List<string> { Pair(TraceFilterKeys.Range, Range.ToString().ToLowerInvariant()) };
        if (Range == TimeRange.Custom)
        {
            Add(parts, TraceFilterKeys.From, Instant(From));
            Add(parts, TraceFilterKeys.To, Instant(To));
        }
        Add(parts, TraceFilterKeys.Name, Text(Name));
        Add(parts, TraceFilterKeys.UserId, Text(UserId));
        Add(parts, TraceFilterKeys.SessionId, Text(SessionId));
        Add(parts, TraceFilterKeys.Tags, Text(Tags));
        Add(parts, TraceFilterKeys.Environments, Text(Environments));
        Add(parts, TraceFilterKeys.Release, Text(Release));
        Add(parts, TraceFilterKeys.Version, Text(Version));
        Add(parts, TraceFilterKeys.TeamId, Text(TeamId));
        Add(parts, TraceFilterKeys.KeyAlias, Text(KeyAlias));
        Add(parts, TraceFilterKeys.Model, Text(Model));
        Add(parts, TraceFilterKeys.Levels, Levels == TraceLevels.None ? null : string.Join(',', TraceLevelNames.Names(Levels)));
        Add(parts, TraceFilterKeys.MinCost, MinCost?.ToString(CultureInfo.InvariantCulture));
        Add(parts, TraceFilterKeys.MaxCost, MaxCost?.ToString(CultureInfo.InvariantCulture));
        Add(parts, TraceFilterKeys.MinLatency, MinLatencySeconds?.ToString(CultureInfo.InvariantCulture));
        Add(parts, TraceFilterKeys.MaxLatency, MaxLatencySeconds?.ToString(CultureInfo.InvariantCulture));
        Add(parts, TraceFilterKeys.Search, Text(Search));
        if (OldestFirst)
        {
            parts.Add(Pair(TraceFilterKeys.Order, "asc"));
        }
        return string.Join('&', parts);
    }

    /// <summary>The traces page showing this filter (relative, as the nav links are).</summary>
    public string Href => "traces?" + ToQueryString();

    /// <summary>The traces of one user or session over all time (for links from the sessions, users and trace pages).</summary>
    public static string Link(string? userId = null, string? sessionId = null) =>
        (Everything with { UserId = userId, SessionId = sessionId }).Href;

    /// <summary>The <c>range</c> values <see cref="ParseRange"/> accepts besides the enum names, as the hint for a bad one lists them.</summary>
    public const string RangeNames = "hour, day, 7d, 30d, all or custom";

    /// <summary>
    /// Parses a <c>range</c> query value, case-insensitive: the friendly names of <see cref="RangeNames"/> (and
    /// <c>24h</c>, <c>1h</c>, <c>7days</c>, <c>30days</c>) or a <see cref="TimeRange"/> name (<c>lastday</c>, what
    /// <see cref="ToQueryString"/> writes); <see langword="null"/> when unknown.
    /// </summary>
    public static TimeRange? ParseRange(string? value)
    {
        var v = value?.Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        switch (v)
        {
            case null or "":
                return null;
            case "hour" or "1h" or "lasthour":
                return TimeRange.LastHour;
            case "day" or "24h" or "1d" or "lastday":
                return TimeRange.LastDay;
            case "7d" or "7days" or "week" or "last7days":
                return TimeRange.Last7Days;
            case "30d" or "30days" or "month" or "last30days":
                return TimeRange.Last30Days;
            case "all" or "custom":
                return v == "all" ? TimeRange.All : TimeRange.Custom;
            default:
                return null;
        }
    }

    private static string? Instant(DateTimeOffset? t) => t is not { } v
        ? null
        // A whole UTC day (what the date pickers give) stays a plain date, so links read well.
        : v.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : v.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Add(List<string> parts, string key, string? value)
    {
        if (value is not null)
        {
            parts.Add(Pair(key, value));
        }
    }

    private static string Pair(string key, string value) => key + "=" + Uri.EscapeDataString(value);

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static ImmutableArray<string> List(string? s) => string.IsNullOrWhiteSpace(s)
        ? []
        : [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
