using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's score objects: <c>APIScoreSchemaV1</c> (trace scores) and <c>APIScoreSchemaV2</c> (trace, observation and session scores).</summary>
internal static class LangfuseScoreJson
{
    /// <param name="w">The writer.</param>
    /// <param name="s">The stored score.</param>
    /// <param name="projectId">The key's project.</param>
    /// <param name="version">The schema: v2 adds <c>sessionId</c> and <c>datasetRunId</c>.</param>
    /// <param name="trace">
    /// For list items, the scored trace (Langfuse's <c>trace</c> object: user, tags, environment, and in v2 the
    /// session); <see langword="null"/> leaves it out (single scores), <see cref="ScoredTrace.None"/> writes what a
    /// score without a trace gets.
    /// </param>
    public static void WriteScore(Utf8JsonWriter w, ScoreRecord s, string projectId, LangfuseScoreSchema version, ScoredTrace? trace)
    {
        var timestamp = s.TimestampMs ?? s.CreatedAtMs ?? s.EventTsMs ?? 0;
        var created = s.CreatedAtMs ?? timestamp;
        var dataType = string.IsNullOrEmpty(s.DataType) ? "NUMERIC" : s.DataType;

        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("projectId", string.IsNullOrEmpty(s.ProjectId) ? projectId : s.ProjectId);
        w.WriteString("environment", string.IsNullOrEmpty(s.Environment) ? "default" : s.Environment);
        w.WriteString("name", s.Name ?? "");
        if (dataType != "TEXT")
        {
            // A TEXT score has no numeric value (Langfuse omits the key).
            w.WriteNumber("value", s.Value is { } value && double.IsFinite(value) ? value : 0);
        }
        w.WriteString("source", string.IsNullOrEmpty(s.Source) ? "API" : s.Source);
        w.WriteNull("authorUserId");
        LangfuseJson.WriteStringOrNull(w, "comment", s.Comment);
        LangfuseJson.WriteMetadata(w, "metadata", s.Metadata);
        LangfuseJson.WriteStringOrNull(w, "configId", s.ConfigId);
        w.WriteNull("queueId");
        w.WriteNull("executionTraceId");
        LangfuseJson.WriteTimestamp(w, "createdAt", created);
        LangfuseJson.WriteTimestamp(w, "updatedAt", s.UpdatedAtMs ?? created);
        LangfuseJson.WriteTimestamp(w, "timestamp", timestamp);
        LangfuseJson.WriteStringOrNull(w, "traceId", s.TraceId);
        LangfuseJson.WriteStringOrNull(w, "observationId", s.ObservationId);
        if (version == LangfuseScoreSchema.V2)
        {
            LangfuseJson.WriteStringOrNull(w, "sessionId", s.SessionId);
            w.WriteNull("datasetRunId");
        }
        LangfuseJson.WriteStringOrNull(w, "stringValue", dataType == "NUMERIC" ? null : s.StringValue ?? "");
        w.WriteString("dataType", dataType);
        if (trace is { } t)
        {
            if (t.Exists)
            {
                w.WriteStartObject("trace");
                LangfuseJson.WriteStringOrNull(w, "userId", t.UserId);
                LangfuseJson.WriteStrings(w, "tags", t.Tags);
                LangfuseJson.WriteStringOrNull(w, "environment", t.Environment);
                if (version == LangfuseScoreSchema.V2)
                {
                    LangfuseJson.WriteStringOrNull(w, "sessionId", t.SessionId);
                }
                w.WriteEndObject();
            }
            else if (version == LangfuseScoreSchema.V2)
            {
                w.WriteNull("trace");
            }
            else
            {
                w.WriteStartObject("trace");
                w.WriteNull("userId");
                w.WriteNull("tags");
                w.WriteNull("environment");
                w.WriteEndObject();
            }
        }
        w.WriteEndObject();
    }
}
