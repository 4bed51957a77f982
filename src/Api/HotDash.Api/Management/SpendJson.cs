using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Api.Management;

/// <summary>The spend ledger in LiteLLM's shapes: <c>LiteLLM_SpendLogs</c> rows and the <c>/global/spend/report</c> groupings.</summary>
internal static class SpendJson
{
    /// <summary>One <c>LiteLLM_SpendLogs</c> row.</summary>
    public static void Row(Utf8JsonWriter w, SpendRow row)
    {
        w.WriteStartObject();
        w.WriteString("request_id", row.RequestId);
        w.WriteString("call_type", row.CallType);
        w.WriteString("api_key", row.KeyHash);
        w.WriteNumber("spend", row.Spend);
        w.WriteNumber("total_tokens", row.PromptTokens + row.CompletionTokens);
        w.WriteNumber("prompt_tokens", row.PromptTokens);
        w.WriteNumber("completion_tokens", row.CompletionTokens);
        ManagementJson.Time(w, "startTime", row.StartTime);
        ManagementJson.Time(w, "endTime", row.EndTime);
        w.WriteString("model", row.Model);
        w.WriteString("model_id", row.DeploymentId);
        w.WriteString("model_group", row.ModelGroup);
        w.WriteString("user", row.UserId ?? "");
        ManagementJson.String(w, "team_id", row.TeamId);
        w.WriteString("end_user", row.EndUser ?? "");
        // LiteLLM's column is text: "True" / "False".
        w.WriteString("cache_hit", row.CacheHit ? "True" : "False");
        w.WriteString("cache_key", "");
        w.WriteString("status", row.Success ? "success" : "failure");
        w.WritePropertyName("metadata");
        w.WriteRawValue(string.IsNullOrWhiteSpace(row.Metadata) ? "{}" : row.Metadata);
        ManagementJson.EmptyArray(w, "request_tags");
        w.WriteEndObject();
    }

    /// <summary>A day as <c>date_trunc('day', ...)</c> comes out of LiteLLM's report query.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture) + "T00:00:00+00:00";

    /// <summary>
    /// <c>group_by=team</c> or <c>customer</c>: one entry per day, each with its teams (<c>team_name</c>) or customers
    /// (<c>customer</c>), their <c>total_spend</c>, and per model the <c>spend</c> and <c>total_tokens</c> in <c>metadata</c>.
    /// The ledger's daily rollup has no key dimension, so <c>metadata[].api_key</c> is null.
    /// </summary>
    public static void ByDay(Utf8JsonWriter w, IEnumerable<SpendReportRow> rows, bool teams, Func<string?, string?> groupName)
    {
        w.WriteStartArray();
        foreach (var day in rows.GroupBy(r => r.Day).OrderBy(g => g.Key))
        {
            w.WriteStartObject();
            w.WriteString("group_by_day", Day(day.Key));
            w.WriteStartArray(teams ? "teams" : "customers");
            foreach (var group in day.GroupBy(r => r.Group ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                ManagementJson.String(w, teams ? "team_name" : "customer", groupName(group.Key.Length == 0 ? null : group.Key));
                w.WriteNumber("total_spend", group.Sum(r => r.Spend));
                w.WriteStartArray("metadata");
                foreach (var model in group.GroupBy(r => r.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("model", model.Key);
                    w.WriteNull("api_key");
                    w.WriteNumber("spend", model.Sum(r => r.Spend));
                    w.WriteNumber("total_tokens", model.Sum(r => r.PromptTokens + r.CompletionTokens));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// <c>group_by=api_key</c> (and the <c>api_key</c> / <c>internal_user_id</c> filters): one entry per key over the whole
    /// range, most spend first, with <c>total_cost</c>, token totals and <c>model_details</c> per model.
    /// </summary>
    public static void ByKey(Utf8JsonWriter w, IEnumerable<SpendReportRow> rows)
    {
        w.WriteStartArray();
        var keys = rows.GroupBy(r => r.Group ?? "")
            .Select(g => (Key: g.Key, Cost: g.Sum(r => r.Spend), Rows: g))
            .OrderByDescending(k => k.Cost).ThenBy(k => k.Key, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            w.WriteStartObject();
            w.WriteString("api_key", key.Key);
            w.WriteNumber("total_cost", key.Cost);
            w.WriteNumber("total_input_tokens", key.Rows.Sum(r => r.PromptTokens));
            w.WriteNumber("total_output_tokens", key.Rows.Sum(r => r.CompletionTokens));
            w.WriteStartArray("model_details");
            foreach (var model in key.Rows.GroupBy(r => r.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("model", model.Key);
                w.WriteNumber("total_cost", model.Sum(r => r.Spend));
                w.WriteNumber("total_input_tokens", model.Sum(r => r.PromptTokens));
                w.WriteNumber("total_output_tokens", model.Sum(r => r.CompletionTokens));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Ledger rows summed per UTC day, key and model, as the report rows for <see cref="ByKey"/>.</summary>
    public static IEnumerable<SpendReportRow> RollUpByKey(IEnumerable<SpendRow> rows) =>
        rows.GroupBy(r => (Day: DateOnly.FromDateTime(r.StartTime.UtcDateTime), r.KeyHash, Model: r.ModelGroup.Length > 0 ? r.ModelGroup : r.Model))
            .Select(g => new SpendReportRow(g.Key.Day, g.Key.KeyHash, g.Key.Model, g.Sum(r => r.Spend),
                g.Sum(r => r.PromptTokens), g.Sum(r => r.CompletionTokens), g.LongCount()));
}
