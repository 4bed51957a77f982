using System.Globalization;
using System.Text.Json.Nodes;
using HotDash.Dashboard.Components.Shared;
using HotDash.Dashboard.Services.Admin;

namespace HotDash.Dashboard.Components.Pages.Admin;

/// <summary>How the admin pages write the management API's values for people.</summary>
internal static class AdminDisplay
{
    public static string Money(JsonNode? n) =>
        n is JsonValue v && v.TryGetValue<decimal>(out var d) ? Format.Cost(d) : "–";

    /// <summary>An ISO-8601 time of the API ("2026-12-01T17:45:04.123Z") as people read it; text that is no time stays as it is.</summary>
    public static string Time(JsonNode? n) => LimitsForm.Text(n) is not { } text
        ? "–"
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? Format.Time(t.ToUnixTimeMilliseconds())
            : text;

    public static string Budget(JsonObject o) =>
        o["max_budget"] is null ? "unlimited" : Money(o["max_budget"]) + (LimitsForm.Text(o["budget_duration"]) is { } d ? " / " + d : "");

    public static string Limits(JsonObject o) =>
        $"{Count(o["tpm_limit"])} / {Count(o["rpm_limit"])} / {Count(o["max_parallel_requests"])}";

    public static bool IsBlocked(JsonObject o) => o["blocked"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static string Blocked(JsonObject o) => IsBlocked(o) ? "blocked" : "active";

    private static string Count(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? Format.Tokens(l) : "–";
}
