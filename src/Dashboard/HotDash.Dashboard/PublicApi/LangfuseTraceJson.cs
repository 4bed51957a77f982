using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's trace objects: <c>APITrace</c>, the list's <c>APIExtendedTrace</c> and the detail's <c>GetTraceV1Response</c>.</summary>
internal static class LangfuseTraceJson
{
    /// <summary>The Langfuse UI path of a trace.</summary>
    public static string HtmlPath(string projectId, string traceId) => $"/project/{projectId}/traces/{traceId}";

    /// <summary>The fields every trace object has (Langfuse's order), without the closing brace.</summary>
    public static void WriteCoreFields(Utf8JsonWriter w, TraceRecord trace, string projectId, bool includeIo)
    {
        var timestamp = trace.TimestampMs ?? trace.CreatedAtMs ?? trace.EventTsMs ?? 0;
        w.WriteString("id", trace.Id);
        w.WriteString("projectId", string.IsNullOrEmpty(trace.ProjectId) ? projectId : trace.ProjectId);
        LangfuseJson.WriteStringOrNull(w, "name", trace.Name);
        LangfuseJson.WriteTimestamp(w, "timestamp", timestamp);
        w.WriteString("environment", string.IsNullOrEmpty(trace.Environment) ? "default" : trace.Environment);
        LangfuseJson.WriteStrings(w, "tags", trace.Tags);
        w.WriteBoolean("bookmarked", trace.Bookmarked ?? false);
        LangfuseJson.WriteStringOrNull(w, "release", trace.Release);
        LangfuseJson.WriteStringOrNull(w, "version", trace.Version);
        LangfuseJson.WriteStringOrNull(w, "userId", trace.UserId);
        LangfuseJson.WriteStringOrNull(w, "sessionId", trace.SessionId);
        w.WriteBoolean("public", trace.Public ?? false);
        LangfuseJson.WriteJsonText(w, "input", includeIo ? trace.Input : null);
        LangfuseJson.WriteJsonText(w, "output", includeIo ? trace.Output : null);
        LangfuseJson.WriteMetadata(w, "metadata", includeIo ? trace.Metadata : null);
        LangfuseJson.WriteTimestamp(w, "createdAt", trace.CreatedAtMs ?? timestamp);
        LangfuseJson.WriteTimestamp(w, "updatedAt", trace.UpdatedAtMs ?? trace.CreatedAtMs ?? timestamp);
    }

    /// <summary>A trace as sessions list them (<c>APITrace</c>).</summary>
    public static void WriteTrace(Utf8JsonWriter w, TraceRecord trace, string projectId)
    {
        w.WriteStartObject();
        WriteCoreFields(w, trace, projectId, includeIo: true);
        w.WriteNull("externalId");
        w.WriteEndObject();
    }

    /// <summary>A trace of <c>GET /api/public/traces</c>: observation and score ids, cost, latency, UI path.</summary>
    public static void WriteSummary(Utf8JsonWriter w, TraceSummary summary, string projectId, TraceFieldGroups fields)
    {
        w.WriteStartObject();
        WriteCoreFields(w, summary.Trace, projectId, fields.HasFlag(TraceFieldGroups.Io));
        LangfuseJson.WriteStrings(w, "observations", fields.HasFlag(TraceFieldGroups.Observations) ? summary.ObservationIds : null);
        LangfuseJson.WriteStrings(w, "scores", fields.HasFlag(TraceFieldGroups.Scores) ? summary.ScoreIds : null);
        WriteMetrics(w, fields, summary.TotalCost, summary.LatencySeconds);
        w.WriteString("htmlPath", HtmlPath(projectId, summary.Trace.Id));
        w.WriteNull("externalId");
        w.WriteEndObject();
    }

    /// <summary><c>GET /api/public/traces/{id}</c>: the trace with its observations and scores as full objects.</summary>
    public static void WriteDetail(Utf8JsonWriter w, TraceDetail detail, string projectId, TraceFieldGroups fields)
    {
        var summary = detail.Summary;
        w.WriteStartObject();
        WriteCoreFields(w, summary.Trace, projectId, fields.HasFlag(TraceFieldGroups.Io));
        w.WriteStartArray("scores");
        if (fields.HasFlag(TraceFieldGroups.Scores))
        {
            foreach (var score in detail.Scores)
            {
                // Langfuse's v1 schema: trace scores only.
                if (!string.IsNullOrEmpty(score.TraceId))
                {
                    LangfuseScoreJson.WriteScore(w, score, projectId, LangfuseScoreSchema.V1, trace: null);
                }
            }
        }
        w.WriteEndArray();
        w.WriteStartArray("observations");
        if (fields.HasFlag(TraceFieldGroups.Observations))
        {
            foreach (var observation in detail.Observations)
            {
                LangfuseObservationJson.WriteObservation(w, observation, projectId, pricesAsZero: true);
            }
        }
        w.WriteEndArray();
        WriteMetrics(w, fields, summary.TotalCost, summary.LatencySeconds);
        w.WriteString("htmlPath", HtmlPath(projectId, summary.Trace.Id));
        w.WriteNull("externalId");
        w.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter w, TraceFieldGroups fields, decimal totalCost, double latencySeconds)
    {
        if (fields.HasFlag(TraceFieldGroups.Metrics))
        {
            w.WriteNumber("totalCost", totalCost);
            w.WriteNumber("latency", double.IsFinite(latencySeconds) ? latencySeconds : 0);
        }
        else
        {
            // Langfuse's marker for "not requested" (LFE-6361): -1, never absent.
            w.WriteNumber("totalCost", -1);
            w.WriteNumber("latency", -1);
        }
    }
}
