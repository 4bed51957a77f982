using System.Globalization;
using System.Text.Json.Nodes;

namespace HotDash.Dashboard.Services.Admin;

/// <summary>
/// The budget and limit fields teams, keys and users share, as typed into a form (text, so a half-typed number is
/// never silently dropped). The form checks nothing itself: a number is sent as a number, anything else as the text typed,
/// so every rule (numbers, budget_duration's format, upper bounds, models) is the management API's and its refusal is
/// shown as it words it, the same for the dashboard as for a script.
/// </summary>
public sealed class LimitsForm
{
    /// <summary><c>max_budget</c> in USD.</summary>
    public string? MaxBudget { get; set; }

    /// <summary><c>budget_duration</c> such as <c>30d</c>, <c>1h</c>.</summary>
    public string? BudgetDuration { get; set; }

    /// <summary><c>tpm_limit</c>.</summary>
    public string? TpmLimit { get; set; }

    /// <summary><c>rpm_limit</c>.</summary>
    public string? RpmLimit { get; set; }

    /// <summary><c>max_parallel_requests</c>.</summary>
    public string? MaxParallelRequests { get; set; }

    /// <summary><c>models</c>, comma separated; empty means every model.</summary>
    public string? Models { get; set; }

    /// <summary>
    /// Writes the fields into <paramref name="body"/>. On create an empty field is left out (the gateway's default); on
    /// update it is sent as <c>null</c>, which clears it, since the edit form starts from the current values.
    /// </summary>
    public void WriteTo(JsonObject body, bool update)
    {
        Put(body, "max_budget", Blank(MaxBudget) is { } b
            ? decimal.TryParse(b, NumberStyles.Number, CultureInfo.InvariantCulture, out var budget) ? JsonValue.Create(budget) : JsonValue.Create(b)
            : null, update);
        Put(body, "budget_duration", Blank(BudgetDuration) is { } d ? JsonValue.Create(d) : null, update);
        Put(body, "tpm_limit", Count(TpmLimit), update);
        Put(body, "rpm_limit", Count(RpmLimit), update);
        Put(body, "max_parallel_requests", Count(MaxParallelRequests), update);
        var models = ModelList(Models);
        if (models.Length > 0 || update)
        {
            body["models"] = new JsonArray([.. models.Select(m => (JsonNode?)JsonValue.Create(m))]);
        }
    }

    /// <summary>Fills the form from an API object (a team, key or user as <c>/team/list</c> etc. answer it).</summary>
    public static LimitsForm From(JsonObject o) => new()
    {
        MaxBudget = Text(o["max_budget"]),
        BudgetDuration = Text(o["budget_duration"]),
        TpmLimit = Text(o["tpm_limit"]),
        RpmLimit = Text(o["rpm_limit"]),
        MaxParallelRequests = Text(o["max_parallel_requests"]),
        Models = o["models"] is JsonArray a ? string.Join(", ", a.Select(m => m?.ToString()).Where(m => !string.IsNullOrEmpty(m))) : null,
    };

    /// <summary>A JSON value as form text (numbers invariant), or null.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary>A comma-separated list, trimmed, without empty entries.</summary>
    public static string[] ModelList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The trimmed text, or null when blank.</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // Not a whole number: the text goes as typed, for the gateway to refuse naming the field.
    private static JsonValue? Count(string? text) => Blank(text) is not { } t
        ? null
        : long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(t);

    private static void Put(JsonObject body, string name, JsonNode? value, bool update)
    {
        if (value is not null || update)
        {
            body[name] = value;
        }
    }
}
