using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace HotDash.Dashboard.Services.Traces;

/// <summary>
/// The traces page's filter bar as typed (numbers as text, so "abc" can be shown as an error rather than lost), read
/// from and written to the URL. <see cref="TryBuild"/> checks it and makes the <see cref="TraceFilter"/> a query is built from.
/// </summary>
public sealed class TraceFilterForm
{
    /// <summary>The time range.</summary>
    public TimeRange Range { get; set; } = TimeRange.LastDay;

    /// <summary>Custom range start (UTC).</summary>
    public DateTime? From { get; set; }

    /// <summary>Custom range end (UTC, exclusive).</summary>
    public DateTime? To { get; set; }

    // A time of day picked before its date: applied when the date comes.
    private TimeSpan? _fromTime, _toTime;

    /// <summary>The date part of <see cref="From"/> (what the date picker edits); setting it keeps the time of day.</summary>
    public DateTime? FromDate
    {
        get => From?.Date;
        set => From = Join(value, From?.TimeOfDay ?? _fromTime);
    }

    /// <summary>The time of day of <see cref="From"/> (what the time picker edits, UTC); 00:00 for a plain date.</summary>
    public TimeSpan? FromTime
    {
        get => From?.TimeOfDay ?? _fromTime;
        set
        {
            _fromTime = value;
            From = From is { } f ? Join(f, value) : null;
        }
    }

    /// <summary>The date part of <see cref="To"/>; setting it keeps the time of day.</summary>
    public DateTime? ToDate
    {
        get => To?.Date;
        set => To = Join(value, To?.TimeOfDay ?? _toTime);
    }

    /// <summary>The time of day of <see cref="To"/> (UTC); 00:00 for a plain date.</summary>
    public TimeSpan? ToTime
    {
        get => To?.TimeOfDay ?? _toTime;
        set
        {
            _toTime = value;
            To = To is { } t ? Join(t, value) : null;
        }
    }

    private static DateTime? Join(DateTime? date, TimeSpan? time) =>
        date is { } d ? DateTime.SpecifyKind(d.Date, DateTimeKind.Utc) + (time ?? TimeSpan.Zero) : null;

    /// <summary>Trace name.</summary>
    public string? Name { get; set; }

    /// <summary>User id.</summary>
    public string? UserId { get; set; }

    /// <summary>Session id.</summary>
    public string? SessionId { get; set; }

    /// <summary>Tags, comma separated.</summary>
    public string? Tags { get; set; }

    /// <summary>Environments, comma separated.</summary>
    public string? Environments { get; set; }

    /// <summary>Release.</summary>
    public string? Release { get; set; }

    /// <summary>Version.</summary>
    public string? Version { get; set; }

    /// <summary>Team id.</summary>
    public string? TeamId { get; set; }

    /// <summary>Key alias.</summary>
    public string? KeyAlias { get; set; }

    /// <summary>Model or model group.</summary>
    public string? Model { get; set; }

    /// <summary>The levels asked for.</summary>
    public TraceLevels Levels { get; set; }

    /// <summary>Minimum cost in dollars, as typed.</summary>
    public string? MinCost { get; set; }

    /// <summary>Maximum cost in dollars, as typed.</summary>
    public string? MaxCost { get; set; }

    /// <summary>Minimum latency in seconds, as typed.</summary>
    public string? MinLatency { get; set; }

    /// <summary>Maximum latency in seconds, as typed.</summary>
    public string? MaxLatency { get; set; }

    /// <summary>Text search in input and output.</summary>
    public string? Search { get; set; }

    /// <summary>Oldest first.</summary>
    public bool OldestFirst { get; set; }

    /// <summary>URL values that were dropped because they mean nothing (an unknown level, a date that is not one), for the page to say so.</summary>
    public List<string> Ignored { get; } = [];

    /// <summary>The field errors of the last <see cref="TryBuild"/>, by <see cref="TraceFilterKeys"/> name.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The error of one field, or <see langword="null"/>.</summary>
    public string? ErrorOf(string key) => Errors.GetValueOrDefault(key);

    /// <summary>The levels as their names (what the level chips select).</summary>
    public IReadOnlyCollection<string> LevelNames
    {
        get => TraceLevelNames.Names(Levels);
        set => Levels = (value ?? []).Aggregate(TraceLevels.None, (all, n) => all | (TraceLevelNames.Parse(n) ?? TraceLevels.None));
    }

    /// <summary>The form showing <paramref name="filter"/>.</summary>
    public static TraceFilterForm Of(TraceFilter filter) => new()
    {
        Range = filter.Range,
        From = filter.From?.UtcDateTime,
        To = filter.To?.UtcDateTime,
        Name = filter.Name,
        UserId = filter.UserId,
        SessionId = filter.SessionId,
        Tags = filter.Tags,
        Environments = filter.Environments,
        Release = filter.Release,
        Version = filter.Version,
        TeamId = filter.TeamId,
        KeyAlias = filter.KeyAlias,
        Model = filter.Model,
        Levels = filter.Levels,
        MinCost = filter.MinCost?.ToString(CultureInfo.InvariantCulture),
        MaxCost = filter.MaxCost?.ToString(CultureInfo.InvariantCulture),
        MinLatency = filter.MinLatencySeconds?.ToString(CultureInfo.InvariantCulture),
        MaxLatency = filter.MaxLatencySeconds?.ToString(CultureInfo.InvariantCulture),
        Search = filter.Search,
        OldestFirst = filter.OldestFirst,
    };

    /// <summary>The form a <c>/traces</c> query string (with or without its <c>?</c>) describes; what <see cref="TraceFilter.ToQueryString"/> writes.</summary>
    public static TraceFilterForm Parse(string? query)
    {
        var q = QueryHelpers.ParseQuery(string.IsNullOrEmpty(query) || query[0] == '?' ? query : "?" + query);
        string? Get(string key) => q.TryGetValue(key, out var v) && v.Count > 0 ? v[^1] : null;

        var form = new TraceFilterForm
        {
            Name = Get(TraceFilterKeys.Name),
            UserId = Get(TraceFilterKeys.UserId) ?? Get(TraceFilterKeys.LegacyUser),
            SessionId = Get(TraceFilterKeys.SessionId) ?? Get(TraceFilterKeys.LegacySession),
            Tags = Get(TraceFilterKeys.Tags),
            Environments = Get(TraceFilterKeys.Environments),
            Release = Get(TraceFilterKeys.Release),
            Version = Get(TraceFilterKeys.Version),
            TeamId = Get(TraceFilterKeys.TeamId),
            KeyAlias = Get(TraceFilterKeys.KeyAlias),
            Model = Get(TraceFilterKeys.Model),
            MinCost = Get(TraceFilterKeys.MinCost),
            MaxCost = Get(TraceFilterKeys.MaxCost),
            MinLatency = Get(TraceFilterKeys.MinLatency),
            MaxLatency = Get(TraceFilterKeys.MaxLatency),
            Search = Get(TraceFilterKeys.Search),
            OldestFirst = string.Equals(Get(TraceFilterKeys.Order), "asc", StringComparison.OrdinalIgnoreCase),
        };
        if (Get(TraceFilterKeys.Range) is { } range)
        {
            if (TraceFilter.ParseRange(range) is { } r)
            {
                form.Range = r;
            }
            else
            {
                form.Ignored.Add($"range \"{range}\" (use {TraceFilter.RangeNames})");
            }
        }
        form.From = form.Instant(TraceFilterKeys.From, Get(TraceFilterKeys.From));
        form.To = form.Instant(TraceFilterKeys.To, Get(TraceFilterKeys.To));
        if (q.TryGetValue(TraceFilterKeys.Levels, out var levels))
        {
            foreach (var name in levels.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (TraceLevelNames.Parse(name) is { } flag)
                {
                    form.Levels |= flag;
                }
                else
                {
                    form.Ignored.Add($"level \"{name}\" (use ERROR, WARNING, DEFAULT or DEBUG)");
                }
            }
        }
        return form;
    }

    /// <summary>
    /// Checks the form: costs and latencies must be numbers, 0 or more, the minimum not above the maximum, a custom
    /// range's end after its start. On success <paramref name="filter"/> is the filter (blank text left out);
    /// otherwise <see cref="Errors"/> says what is wrong with which field and no filter is made.
    /// </summary>
    public bool TryBuild(out TraceFilter filter)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var minCost = Number(errors, TraceFilterKeys.MinCost, MinCost, "dollars, e.g. 0.05", dollar: true);
        var maxCost = Number(errors, TraceFilterKeys.MaxCost, MaxCost, "dollars, e.g. 0.05", dollar: true);
        var minLatency = Number(errors, TraceFilterKeys.MinLatency, MinLatency, "seconds, e.g. 1.5", dollar: false);
        var maxLatency = Number(errors, TraceFilterKeys.MaxLatency, MaxLatency, "seconds, e.g. 1.5", dollar: false);
        MinNotAboveMax(errors, TraceFilterKeys.MinCost, minCost, TraceFilterKeys.MaxCost, maxCost);
        MinNotAboveMax(errors, TraceFilterKeys.MinLatency, minLatency, TraceFilterKeys.MaxLatency, maxLatency);
        var from = Utc(From);
        var to = Utc(To);
        if (Range == TimeRange.Custom && from is { } f && to is { } t && t <= f)
        {
            errors[TraceFilterKeys.To] = "Must be after From";
        }
        Errors = errors;
        filter = new TraceFilter
        {
            Range = Range,
            From = Range == TimeRange.Custom ? from : null,
            To = Range == TimeRange.Custom ? to : null,
            Name = Text(Name),
            UserId = Text(UserId),
            SessionId = Text(SessionId),
            Tags = Text(Tags),
            Environments = Text(Environments),
            Release = Text(Release),
            Version = Text(Version),
            TeamId = Text(TeamId),
            KeyAlias = Text(KeyAlias),
            Model = Text(Model),
            Levels = Levels,
            MinCost = (decimal?)minCost,
            MaxCost = (decimal?)maxCost,
            MinLatencySeconds = (double?)minLatency,
            MaxLatencySeconds = (double?)maxLatency,
            Search = Text(Search),
            OldestFirst = OldestFirst,
        };
        if (errors.Count > 0)
        {
            filter = TraceFilter.Everything;
            return false;
        }
        return true;
    }

    private DateTime? Instant(string key, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t.UtcDateTime;
        }
        Ignored.Add($"{key} \"{text}\" (use a UTC date such as 2026-01-31 or a time such as 2026-01-31T08:30:00Z)");
        return null;
    }

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    // Parsed as decimal (exact for dollars); latencies become doubles after the checks.
    private static decimal? Number(Dictionary<string, string> errors, string key, string? text, string unit, bool dollar)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }
        if (dollar && s.StartsWith('$'))
        {
            s = s[1..].TrimStart();
        }
        if (!decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var v))
        {
            errors[key] = $"Not a number: enter {unit}";
            return null;
        }
        if (v < 0)
        {
            errors[key] = "Must be 0 or more";
            return null;
        }
        return v;
    }

    private static void MinNotAboveMax(Dictionary<string, string> errors, string minKey, decimal? min, string maxKey, decimal? max)
    {
        if (min is { } lo && max is { } hi && lo > hi)
        {
            errors[minKey] = "Must not be above the maximum";
            errors[maxKey] = "Must not be below the minimum";
        }
    }

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
