using System.Collections.Immutable;
using HotDash.Analytics.Archive;
using System.Text.Json.Nodes;
using HotDash.Grains;

namespace HotDash.Analytics.Tests.Merge;

/// <summary>Events and comparisons for the merge tests.</summary>
internal static class MergeData
{
    public const string Project = "p1";

    public static TraceEvent TraceEvent(string eventId, long ts, TraceRecord body) =>
        new(eventId, ts, TraceEventTypes.TraceCreate) { Trace = body with { ProjectId = body.ProjectId.Length > 0 ? body.ProjectId : Project } };

    public static TraceEvent ObservationEvent(string eventId, long ts, string type, ObservationRecord body) =>
        new(eventId, ts, type) { Observation = body with { ProjectId = body.ProjectId.Length > 0 ? body.ProjectId : Project } };

    public static TraceEvent ScoreEvent(string eventId, long ts, ScoreRecord body) =>
        new(eventId, ts, TraceEventTypes.ScoreCreate) { Score = body with { ProjectId = body.ProjectId.Length > 0 ? body.ProjectId : Project } };

    public static ImmutableDictionary<string, string> Map(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    public static ImmutableDictionary<string, long> Usage(params (string Key, long Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    public static ImmutableDictionary<string, decimal> Cost(params (string Key, decimal Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    /// <summary>A row as canonical JSON (object keys sorted) without <c>updatedAtMs</c>, to compare rows field by field, maps by content.</summary>
    public static string Content(TraceRecord row) =>
        Canonical(JsonSerializer.SerializeToNode(row with { UpdatedAtMs = null }, TraceEventJsonContext.Default.TraceRecord));

    public static string Content(ObservationRecord row) =>
        Canonical(JsonSerializer.SerializeToNode(row with { UpdatedAtMs = null }, TraceEventJsonContext.Default.ObservationRecord));

    public static string Content(ScoreRecord row) =>
        Canonical(JsonSerializer.SerializeToNode(row with { UpdatedAtMs = null }, TraceEventJsonContext.Default.ScoreRecord));

    private static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
