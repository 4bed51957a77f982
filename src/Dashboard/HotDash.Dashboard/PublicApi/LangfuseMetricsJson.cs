using System.Globalization;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's <c>GET /api/public/metrics/daily</c> item.</summary>
internal static class LangfuseMetricsJson
{
    public static void WriteDay(Utf8JsonWriter w, DailyMetric day)
    {
        w.WriteStartObject();
        w.WriteString("date", day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteNumber("countTraces", day.CountTraces);
        w.WriteNumber("countObservations", day.CountObservations);
        w.WriteNumber("totalCost", day.TotalCost);
        w.WriteStartArray("usage");
        foreach (var usage in day.Usage)
        {
            w.WriteStartObject();
            LangfuseJson.WriteStringOrNull(w, "model", string.IsNullOrEmpty(usage.Model) ? null : usage.Model);
            w.WriteNumber("inputUsage", usage.InputUsage);
            w.WriteNumber("outputUsage", usage.OutputUsage);
            w.WriteNumber("totalUsage", usage.TotalUsage);
            w.WriteNumber("countObservations", usage.CountObservations);
            w.WriteNumber("countTraces", usage.CountTraces);
            w.WriteNumber("totalCost", usage.TotalCost);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
