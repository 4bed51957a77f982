using System.Globalization;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>LiteLLM's <c>GET /spend/logs</c> and <c>GET /global/spend/report</c> over the registry's spend ledger.</summary>
internal sealed class SpendManagement(IClusterClient cluster)
{
    /// <summary>Most rows one <c>/spend/logs</c> answer carries, newest first.</summary>
    public const int MaxLogRows = 1000;

    // /global/spend/report?internal_user_id= sums the user's ledger rows in the range; past this many it stops.
    private const int MaxUserReportRows = 100_000;

    private IRegistryGrain Registry => cluster.GetGrain<IRegistryGrain>(IRegistryGrain.DefaultKey);

    /// <summary>
    /// <c>GET /spend/logs</c>: <c>LiteLLM_SpendLogs</c> rows filtered by <c>api_key</c> (an <c>sk-</c> key or its hash),
    /// <c>user_id</c>, <c>team_id</c>, <c>request_id</c>, <c>start_date</c> / <c>end_date</c> (days are whole: an end day
    /// is included), newest first.
    /// </summary>
    public async Task<ManagementReply> LogsAsync(ManagementCall call)
    {
        ManagementError? error = null;
        string? keyHash = null;
        if (call.Query("api_key") is { } apiKey && !VirtualKeys.TryToken(apiKey, out keyHash))
        {
            error = ManagementError.Invalid("api_key", "api_key must be an sk- key or its SHA-256 hash.");
        }
        var start = Time(call, "start_date", endOfDay: false, ref error);
        var end = Time(call, "end_date", endOfDay: true, ref error);
        if (error is null && start >= end)
        {
            error = ManagementError.Invalid("end_date", "end_date must come after start_date.");
        }
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        var rows = await Registry.GetSpendLogs(new SpendLogQuery(
            keyHash, call.Query("team_id"), call.Query("user_id"), call.Query("request_id"), start, end, MaxLogRows));
        return ManagementReply.Json(w =>
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                SpendJson.Row(w, row);
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>GET /global/spend/report?start_date=&amp;end_date=&amp;group_by=team|customer|api_key</c> (both days included),
    /// also <c>api_key=</c> or <c>internal_user_id=</c> for one key's or user's spend per key and model.
    /// </summary>
    public async Task<ManagementReply> ReportAsync(ManagementCall call)
    {
        ManagementError? error = null;
        var startDay = Day(call, "start_date", ref error);
        var endDay = Day(call, "end_date", ref error);
        var groupBy = call.Query("group_by") ?? SpendGroupBy.Team;
        if (groupBy is not (SpendGroupBy.Team or SpendGroupBy.Customer or SpendGroupBy.ApiKey))
        {
            error ??= ManagementError.Invalid("group_by", $"group_by must be team, customer or api_key, not \"{groupBy}\".");
        }
        string? keyHash = null;
        if (call.Query("api_key") is { } apiKey && !VirtualKeys.TryToken(apiKey, out keyHash))
        {
            error ??= ManagementError.Invalid("api_key", "api_key must be an sk- key or its SHA-256 hash.");
        }
        if (error is null && (startDay is null || endDay is null))
        {
            error = ManagementError.Invalid(startDay is null ? "start_date" : "end_date", "Please provide start_date and end_date (YYYY-MM-DD).");
        }
        if (error is null && startDay > endDay)
        {
            error = ManagementError.Invalid("end_date", "end_date is before start_date.");
        }
        if (error is not null)
        {
            return ManagementReply.Error(error);
        }
        var (first, last) = (startDay!.Value, endDay!.Value);

        if (call.Query("internal_user_id") is { } userId)
        {
            var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var rows = await Registry.GetSpendLogs(new SpendLogQuery(keyHash, null, userId, null, start, start.AddDays(last.DayNumber - first.DayNumber + 1), MaxUserReportRows));
            var byKey = SpendJson.RollUpByKey(rows).ToList();
            return ManagementReply.Json(w => SpendJson.ByKey(w, byKey));
        }
        if (keyHash is not null || groupBy == SpendGroupBy.ApiKey)
        {
            var rows = await Registry.GetSpendReport(new SpendReportQuery(first, last, SpendGroupBy.ApiKey));
            var selected = keyHash is null ? rows : [.. rows.Where(r => r.Group == keyHash)];
            return ManagementReply.Json(w => SpendJson.ByKey(w, selected));
        }
        var report = await Registry.GetSpendReport(new SpendReportQuery(first, last, groupBy));
        if (groupBy == SpendGroupBy.Customer)
        {
            return ManagementReply.Json(w => SpendJson.ByDay(w, report, teams: false, customer => customer));
        }
        // LiteLLM names teams by alias ('Unassigned Team' for spend without one); a team without an alias by its id.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var teamId in report.Select(r => r.Group).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            names[teamId] = (await Registry.GetTeam(teamId))?.TeamAlias ?? teamId;
        }
        return ManagementReply.Json(w => SpendJson.ByDay(w, report, teams: true,
            teamId => teamId is not null && names.TryGetValue(teamId, out var name) ? name : "Unassigned Team"));
    }

    /// <summary>A date (<c>2025-01-31</c>: its start, or for an end the next day's start) or an ISO 8601 time.</summary>
    private static DateTimeOffset? Time(ManagementCall call, string name, bool endOfDay, ref ManagementError? error)
    {
        if (call.Query(name) is not { } text)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }
        error ??= ManagementError.Invalid(name, $"{name} must be a date (YYYY-MM-DD) or an ISO 8601 time, not \"{text}\".");
        return null;
    }

    private static DateOnly? Day(ManagementCall call, string name, ref ManagementError? error)
    {
        if (call.Query(name) is not { } text)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        error ??= ManagementError.Invalid(name, $"{name} must be a date (YYYY-MM-DD), not \"{text}\".");
        return null;
    }
}
