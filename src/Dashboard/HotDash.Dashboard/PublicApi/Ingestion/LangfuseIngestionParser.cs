using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// Turns Langfuse v3 ingestion requests into HotDash <see cref="TraceEvent"/>s with Langfuse's validation:
/// <c>POST /api/public/ingestion</c> (<see cref="Parse"/>) and <c>POST /api/public/scores</c> (<see cref="ParseScore"/>).
/// Pure: no I/O, no clock but the one passed in.
/// </summary>
public static class LangfuseIngestionParser
{
    // Inputs and outputs nest deeply (chat histories, tool schemas); 64, the default, refuses real payloads.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };

    private static readonly string[] KnownTypes =
    [
        TraceEventTypes.TraceCreate, TraceEventTypes.ScoreCreate, TraceEventTypes.EventCreate, TraceEventTypes.SpanCreate,
        TraceEventTypes.SpanUpdate, TraceEventTypes.GenerationCreate, TraceEventTypes.GenerationUpdate,
        .. TraceEventTypes.OtherObservationCreates, TraceEventTypes.SdkLog, DatasetRunItemCreate, LegacyObservationCreate,
        LegacyObservationUpdate,
    ];

    private const string DatasetRunItemCreate = "dataset-run-item-create";
    private const string LegacyObservationCreate = "observation-create";
    private const string LegacyObservationUpdate = "observation-update";

    /// <summary>
    /// Parses an ingestion request body <c>{"batch": [{"id", "timestamp", "type", "body", "metadata"?}], "metadata"?}</c>.
    /// </summary>
    /// <param name="body">The request body (UTF-8 JSON).</param>
    /// <param name="projectId">The project of the API key; every record gets it, whatever the body says.</param>
    /// <param name="nowMs">The time of receipt, UTC epoch ms. Batch events carry their own timestamps, so it only
    /// matters to callers that share this signature; kept so both entry points take the same arguments.</param>
    public static IngestionParseResult Parse(ReadOnlyMemory<byte> body, string projectId, long nowMs)
    {
        _ = nowMs;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return IngestionParseResult.BadRequest($"Invalid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return IngestionParseResult.BadRequest(LangfuseJson.Expected("object", root.ValueKind));
            }
            var batchKind = root.TryGetProperty("batch", out var batch) ? batch.ValueKind : JsonValueKind.Undefined;
            if (batchKind != JsonValueKind.Array)
            {
                return IngestionParseResult.BadRequest(LangfuseJson.Expected("array", batchKind));
            }
            var parsed = new List<ParsedEvent>();
            var errors = ImmutableArray.CreateBuilder<IngestionEventError>();
            foreach (var item in batch.EnumerateArray())
            {
                try
                {
                    if (ParseEvent(item, projectId) is { } ok)
                    {
                        parsed.Add(ok);
                    }
                }
                catch (IngestionValidationException e)
                {
                    errors.Add(new IngestionEventError(ErrorId(item), 400, "Invalid request data", e.Message));
                }
            }
            // Langfuse's sortBatch: creates (and everything else) by timestamp, then updates by timestamp; stable.
            var ordered = parsed.OrderBy(p => p.IsUpdate).ThenBy(p => p.TimestampMs).ToList();
            return new IngestionParseResult
            {
                Successes = [.. ordered.Select(p => new IngestionEventSuccess(p.EnvelopeId, 201))],
                Errors = errors.ToImmutable(),
                Events = [.. ordered.SelectMany(p => p.Events)],
            };
        }
    }

    /// <summary>
    /// Parses a <c>POST /api/public/scores</c> body (the same score schema as <c>score-create</c>; an absent or empty
    /// <c>id</c> gets a new UUID). The event's envelope timestamp, and the score's time unless the body has a
    /// <c>timestamp</c>, is <paramref name="nowMs"/>.
    /// </summary>
    public static ScoreParseResult ParseScore(JsonElement body, string projectId, long nowMs)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new ScoreParseResult(null, LangfuseJson.Expected("object", body.ValueKind));
        }
        try
        {
            var score = LangfuseBodies.Score(body, "", projectId, nowMs, emptyIdIsNew: true);
            return new ScoreParseResult(new TraceEvent(LangfuseBodies.NewId(), nowMs, TraceEventTypes.ScoreCreate) { Score = score }, null);
        }
        catch (IngestionValidationException e)
        {
            return new ScoreParseResult(null, e.Message);
        }
    }

    // One batch item; null for an accepted event that stores nothing (sdk-log).
    private static ParsedEvent? ParseEvent(JsonElement item, string projectId)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new IngestionValidationException("event", LangfuseJson.Expected("object", item.ValueKind));
        }
        var type = item.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : null;
        if (type is null || !KnownTypes.Contains(type))
        {
            throw new IngestionValidationException("type", $"Invalid discriminator value. Expected {string.Join(" | ", KnownTypes.Select(t => $"'{t}'"))}");
        }
        var id = LangfuseJson.RequiredId(item, "id", "");
        var timestampMs = LangfuseJson.OptionalTimestamp(item, "timestamp", "")
            ?? throw new IngestionValidationException("timestamp", LangfuseJson.Expected("string", KindOf(item, "timestamp")));
        var bodyKind = KindOf(item, "body");
        if (bodyKind != JsonValueKind.Object)
        {
            throw new IngestionValidationException("body", LangfuseJson.Expected("object", bodyKind));
        }
        var body = item.GetProperty("body");
        // The envelope's own metadata is any JSON and is not stored (Langfuse ignores it too).
        switch (type)
        {
            case TraceEventTypes.TraceCreate:
                return Single(id, timestampMs, new TraceEvent(id, timestampMs, type) { Trace = LangfuseBodies.Trace(body, projectId, timestampMs) });
            case TraceEventTypes.ScoreCreate:
                var score = LangfuseBodies.Score(body, "body", projectId, timestampMs, emptyIdIsNew: false);
                return Single(id, timestampMs, new TraceEvent(id, timestampMs, type) { Score = score });
            case TraceEventTypes.SdkLog:
                if (!LangfuseJson.TryGet(body, "log", out _))
                {
                    throw new IngestionValidationException("body.log", LangfuseJson.Expected("json", KindOf(body, "log")));
                }
                // Langfuse logs sdk-log events and drops them before processing: not stored, not listed in successes.
                return null;
            case DatasetRunItemCreate:
                throw new IngestionValidationException("body", "Dataset run item creation is only allowed for internal usage");
            case LegacyObservationCreate or LegacyObservationUpdate:
                var legacyType = LangfuseJson.OptionalString(body, "type", "body");
                if (legacyType is not ("GENERATION" or "SPAN" or "EVENT"))
                {
                    throw new IngestionValidationException("body.type", "Invalid option: expected one of \"GENERATION\"|\"SPAN\"|\"EVENT\"");
                }
                var isLegacyCreate = type == LegacyObservationCreate;
                var eventType = isLegacyCreate ? $"{legacyType.ToLowerInvariant()}-create"
                    : legacyType == "GENERATION" ? TraceEventTypes.GenerationUpdate : TraceEventTypes.SpanUpdate;
                return Observation(id, timestampMs, eventType, body, ObservationSchema.Legacy, legacyType, isLegacyCreate, projectId);
            case TraceEventTypes.EventCreate:
                return Observation(id, timestampMs, type, body, ObservationSchema.Event, "EVENT", isCreate: true, projectId);
            case TraceEventTypes.SpanCreate or TraceEventTypes.SpanUpdate:
                return Observation(id, timestampMs, type, body, ObservationSchema.Span, "SPAN", type == TraceEventTypes.SpanCreate, projectId);
            case TraceEventTypes.GenerationCreate or TraceEventTypes.GenerationUpdate:
                return Observation(id, timestampMs, type, body, ObservationSchema.Generation, "GENERATION", type == TraceEventTypes.GenerationCreate, projectId);
            default:
                // agent-create, tool-create, ...: the generation schema, typed by the event type.
                var observationType = type[..type.IndexOf('-')].ToUpperInvariant();
                return Observation(id, timestampMs, type, body, ObservationSchema.Generation, observationType, isCreate: true, projectId);
        }
    }

    private static ParsedEvent Observation(string id, long timestampMs, string eventType, JsonElement body, ObservationSchema schema,
        string observationType, bool isCreate, string projectId)
    {
        var observation = LangfuseBodies.Observation(body, schema, observationType, isCreate, projectId, timestampMs);
        var observationEvent = new TraceEvent(id, timestampMs, eventType) { Observation = observation };
        if (!isCreate || observation.TraceId is not null)
        {
            return new ParsedEvent(id, timestampMs, !isCreate, [observationEvent]);
        }
        // Langfuse's wrapper trace for observations sent without a trace (SDKs before 2.0): the observation's id
        // becomes its trace's id, so replays land on the same trace.
        var wrapper = new TraceRecord(observation.Id)
        {
            ProjectId = projectId,
            TimestampMs = observation.StartTimeMs,
            Environment = observation.Environment,
        };
        return new ParsedEvent(id, timestampMs, IsUpdate: false,
        [
            new TraceEvent($"{id}/trace", timestampMs, TraceEventTypes.TraceCreate) { Trace = wrapper },
            observationEvent with { Observation = observation with { TraceId = observation.Id } },
        ]);
    }

    private static ParsedEvent Single(string id, long timestampMs, TraceEvent traceEvent) => new(id, timestampMs, false, [traceEvent]);

    // Langfuse reports an event that failed validation under its id when that is a string, else "unknown".
    private static string ErrorId(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : "unknown";

    private static JsonValueKind KindOf(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;

    private sealed record ParsedEvent(string EnvelopeId, long TimestampMs, bool IsUpdate, ImmutableArray<TraceEvent> Events);
}
