using HotDash.Grains;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// What the sessions and users pages filter on, mapped to <see cref="TraceGroupQuery"/> and kept in the page's query
/// string (<c>range</c>, <c>from</c>, <c>to</c>, <c>q</c>: the keys and formats of <see cref="TraceFilter"/>).
/// </summary>
/// <param name="By">Sessions or users.</param>
public sealed record TraceGroupFilter(TraceGroupKind By)
{
    /// <summary>The range a page without <c>range=</c> shows.</summary>
    public const TimeRange DefaultRange = TimeRange.Last7Days;

    /// <summary>Only traces in this range count.</summary>
    public TimeRange Range { get; init; } = DefaultRange;

    /// <summary>Start of a <see cref="TimeRange.Custom"/> range (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of a <see cref="TimeRange.Custom"/> range (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Text in the session or user id, case-insensitive.</summary>
    public string? Search { get; init; }

    /// <summary>Nothing filtered out: all time (or a custom range open on both sides), no search.</summary>
    public bool IsUnfiltered =>
        (Range == TimeRange.All || (Range == TimeRange.Custom && From is null && To is null)) && string.IsNullOrWhiteSpace(Search);

    /// <summary>The query for page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> rows, the range relative to <paramref name="now"/>.</summary>
    public TraceGroupQuery ToQuery(string projectId, int page, int pageSize, DateTimeOffset now)
    {
        var (from, to) = TraceFilter.Bounds(Range, From, To, now);
        return new TraceGroupQuery(projectId, By, Math.Max(1, page), Math.Clamp(pageSize, 1, 100))
        {
            FromTimestampMs = from?.ToUnixTimeMilliseconds(),
            ToTimestampMs = to?.ToUnixTimeMilliseconds(),
            Search = Text(Search),
        };
    }

    /// <summary>The page this filter is on: <c>sessions</c> or <c>users</c> (relative, as the nav links are).</summary>
    public string PagePath => By == TraceGroupKind.Session ? "sessions" : "users";

    /// <summary>
    /// The filter as a query string without the <c>?</c> (read back by <see cref="Parse"/>): the range always, a custom
    /// range's bounds and the search when set, in <see cref="TraceFilter.ToQueryString"/>'s formats.
    /// </summary>
    public string ToQueryString()
    {
        var asTraces = new TraceFilter { Range = Range, From = Range == TimeRange.Custom ? From : null, To = Range == TimeRange.Custom ? To : null, Search = Text(Search) };
        return asTraces.ToQueryString();
    }

    /// <summary>This page with this filter in its URL.</summary>
    public string Href => PagePath + "?" + ToQueryString();

    /// <summary>The traces page of one session or user over all time.</summary>
    public string TracesHref(string id) => By == TraceGroupKind.Session ? TraceFilter.Link(sessionId: id) : TraceFilter.Link(userId: id);

    /// <summary>The session page of a session id.</summary>
    public static string SessionHref(string id) => "sessions/" + Uri.EscapeDataString(id);

    /// <summary>
    /// Reads a sessions or users page's query string (with or without its <c>?</c>) into a form (the
    /// range, custom bounds and search as <see cref="TraceFilterForm"/> reads them for the traces page, so links and
    /// errors read the same; <see cref="DefaultRange"/> without <c>range=</c>). The other trace filters are ignored
    /// (a bad range or date is said so in <see cref="TraceFilterForm.Ignored"/>).
    /// </summary>
    public static TraceFilterForm Parse(string? query)
    {
        var q = QueryHelpers.ParseQuery(string.IsNullOrEmpty(query) || query[0] == '?' ? query : "?" + query);
        var keep = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal);
        foreach (var key in (string[])[TraceFilterKeys.Range, TraceFilterKeys.From, TraceFilterKeys.To, TraceFilterKeys.Search])
        {
            if (q.TryGetValue(key, out var v))
            {
                keep[key] = v;
            }
        }
        // Only this page's keys are read: a traces filter such as minCost=abc in the link must not make the page fail.
        var form = TraceFilterForm.Parse(QueryString.Create(keep).ToString());
        if (!keep.TryGetValue(TraceFilterKeys.Range, out var range) || TraceFilter.ParseRange(range[^1]) is null)
        {
            form.Range = DefaultRange;
        }
        return form;
    }

    /// <summary>
    /// Checks <paramref name="form"/> as <see cref="TraceFilterForm.TryBuild"/> does (a custom range's end after its start)
    /// and makes the filter of its range and search; <see langword="false"/> with the form's errors set otherwise.
    /// </summary>
    public static bool TryBuild(TraceGroupKind by, TraceFilterForm form, out TraceGroupFilter filter)
    {
        // Only the range and search are this page's: the rest of the traces form is blank here, so cannot fail.
        var ok = form.TryBuild(out var built);
        filter = new TraceGroupFilter(by)
        {
            Range = built.Range,
            From = ok ? built.From : null,
            To = ok ? built.To : null,
            Search = ok ? built.Search : Text(form.Search),
        };
        return ok;
    }

    /// <summary>The form showing this filter (for the page's pickers).</summary>
    public TraceFilterForm ToForm() => new()
    {
        Range = Range,
        From = From?.UtcDateTime,
        To = To?.UtcDateTime,
        Search = Search,
    };

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
