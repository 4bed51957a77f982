using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi;

/// <summary>Langfuse's session objects (<c>APISession</c>, and with its traces for <c>GET /sessions/{id}</c>).</summary>
internal static class LangfuseSessionJson
{
    public static void WriteSession(Utf8JsonWriter w, SessionSummary session, string projectId)
    {
        w.WriteStartObject();
        WriteFields(w, session, projectId);
        w.WriteEndObject();
    }

    public static void WriteDetail(Utf8JsonWriter w, SessionDetail detail, string projectId)
    {
        w.WriteStartObject();
        WriteFields(w, detail.Session, projectId);
        w.WriteStartArray("traces");
        foreach (var trace in detail.Traces)
        {
            LangfuseTraceJson.WriteTrace(w, trace, projectId);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter w, SessionSummary session, string projectId)
    {
        w.WriteString("id", session.Id);
        LangfuseJson.WriteTimestamp(w, "createdAt", session.CreatedAtMs);
        w.WriteString("projectId", string.IsNullOrEmpty(session.ProjectId) ? projectId : session.ProjectId);
        w.WriteString("environment", string.IsNullOrEmpty(session.Environment) ? "default" : session.Environment);
    }
}
