using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>Validation and mapping of the bodies of Langfuse ingestion events (Langfuse v3's ingestion schema, field by field).</summary>
internal static class LangfuseBodies
{
    private static readonly string[] Levels = ["DEBUG", "DEFAULT", "WARNING", "ERROR"];
    private static readonly string[] Sources = ["API", "EVAL", "ANNOTATION"];
    private static readonly string[] DataTypes = ["NUMERIC", "CATEGORICAL", "BOOLEAN"];

    /// <summary>A <c>trace-create</c> body. A missing <c>id</c> gets a new UUID, as Langfuse's trace endpoint does.</summary>
    public static TraceRecord Trace(JsonElement body, string projectId, long envelopeMs)
    {
        const string path = "body";
        return new TraceRecord(LangfuseJson.OptionalId(body, "id", path) ?? NewId())
        {
            ProjectId = projectId,
            TimestampMs = LangfuseJson.OptionalTimestamp(body, "timestamp", path) ?? envelopeMs,
            Name = LangfuseJson.OptionalString(body, "name", path, maxLength: 1000),
            UserId = LangfuseJson.OptionalString(body, "userId", path),
            SessionId = LangfuseJson.OptionalString(body, "sessionId", path),
            Release = LangfuseJson.OptionalString(body, "release", path),
            Version = LangfuseJson.OptionalString(body, "version", path),
            Environment = Environment(body),
            Public = LangfuseJson.OptionalBool(body, "public", path),
            Tags = LangfuseJson.OptionalStringArray(body, "tags", path),
            Input = LangfuseJson.OptionalRawJson(body, "input"),
            Output = LangfuseJson.OptionalRawJson(body, "output"),
            Metadata = LangfuseJson.OptionalMetadata(body, "metadata"),
        };
    }

    /// <summary>
    /// An observation body of the given <paramref name="schema"/> and Langfuse <paramref name="type"/> (upper case).
    /// Creates default <c>startTime</c> to the envelope timestamp, as the worker does; updates leave it unset so the
    /// stored start is kept.
    /// </summary>
    public static ObservationRecord Observation(JsonElement body, ObservationSchema schema, string type, bool isCreate, string projectId, long envelopeMs)
    {
        const string path = "body";
        var id = LangfuseJson.OptionalId(body, "id", path);
        if (id is null)
        {
            // Updates must name what they update; creates without an id get one (Langfuse's legacy span and
            // generation endpoints do the same).
            id = isCreate ? NewId() : throw new IngestionValidationException(LangfuseJson.Join(path, "id"), LangfuseJson.Expected("string", Kind(body, "id")));
        }
        var level = LangfuseJson.OptionalString(body, "level", path);
        if (level is not null && !Levels.Contains(level))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "level"), OneOf(Levels));
        }
        var observation = new ObservationRecord(id)
        {
            ProjectId = projectId,
            TraceId = LangfuseJson.OptionalId(body, "traceId", path),
            Type = type,
            Name = LangfuseJson.OptionalString(body, "name", path),
            Environment = Environment(body),
            StartTimeMs = LangfuseJson.OptionalTimestamp(body, "startTime", path) ?? (isCreate ? envelopeMs : null),
            Metadata = LangfuseJson.OptionalMetadata(body, "metadata"),
            Input = LangfuseJson.OptionalRawJson(body, "input"),
            Output = LangfuseJson.OptionalRawJson(body, "output"),
            Level = level,
            StatusMessage = LangfuseJson.OptionalString(body, "statusMessage", path),
            ParentObservationId = LangfuseJson.OptionalString(body, "parentObservationId", path),
            Version = LangfuseJson.OptionalString(body, "version", path),
        };
        if (schema == ObservationSchema.Event)
        {
            return observation;
        }
        observation = observation with { EndTimeMs = LangfuseJson.OptionalTimestamp(body, "endTime", path) };
        if (schema == ObservationSchema.Span)
        {
            return observation;
        }
        var usage = new Dictionary<string, long>(StringComparer.Ordinal);
        var cost = new Dictionary<string, decimal>(StringComparer.Ordinal);
        UsageParser.Read(body, path, usage, cost);
        var (costDetails, totalCost) = UsageMath.CompleteCost(cost);
        observation = observation with
        {
            CompletionStartTimeMs = LangfuseJson.OptionalTimestamp(body, "completionStartTime", path),
            Model = LangfuseJson.OptionalString(body, "model", path),
            ModelParameters = ModelParameters(body, path, allowCollections: schema == ObservationSchema.Generation),
            UsageDetails = UsageMath.CompleteUsage(usage),
            CostDetails = costDetails,
            TotalCost = totalCost,
        };
        if (schema == ObservationSchema.Legacy)
        {
            return observation;
        }
        var promptName = LangfuseJson.OptionalString(body, "promptName", path);
        var promptVersion = LangfuseJson.OptionalInteger(body, "promptVersion", path);
        // Langfuse's refine: both or neither (an empty name or version 0 counts as not set).
        if (string.IsNullOrEmpty(promptName) != (promptVersion is null or 0))
        {
            throw new IngestionValidationException(path, "promptName and promptVersion must be set together");
        }
        if (promptVersion is < int.MinValue or > int.MaxValue)
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "promptVersion"), "Too big: expected int to fit 32 bits");
        }
        return observation with { PromptName = promptName, PromptVersion = (int?)promptVersion };
    }

    /// <summary>
    /// A score body (<c>score-create</c> and <c>POST /api/public/scores</c>): <c>name</c> required; <c>value</c> a number
    /// or a string; <c>dataType</c> optional (a string value is <c>CATEGORICAL</c>, a number <c>NUMERIC</c>) and checked
    /// against the value; exactly one of <c>traceId</c> (with an optional <c>observationId</c>) or <c>sessionId</c>.
    /// </summary>
    /// <param name="body">The score body.</param>
    /// <param name="path">Where the body is, for messages.</param>
    /// <param name="projectId">The project (from the API key).</param>
    /// <param name="defaultTimestampMs">The score's time when the body has no <c>timestamp</c>.</param>
    /// <param name="emptyIdIsNew">An empty <c>id</c> gets a new one (<c>POST /api/public/scores</c>) instead of failing (ingestion).</param>
    public static ScoreRecord Score(JsonElement body, string path, string projectId, long defaultTimestampMs, bool emptyIdIsNew)
    {
        var id = LangfuseJson.OptionalString(body, "id", path);
        id = id is null || (id.Length == 0 && emptyIdIsNew) ? NewId() : LangfuseJson.CheckId(id, LangfuseJson.Join(path, "id"));
        var name = LangfuseJson.RequiredNonEmptyString(body, "name", path);
        var traceId = LangfuseJson.OptionalString(body, "traceId", path);
        var sessionId = LangfuseJson.OptionalString(body, "sessionId", path);
        var observationId = LangfuseJson.OptionalString(body, "observationId", path);
        var datasetRunId = LangfuseJson.OptionalString(body, "datasetRunId", path);
        var hasTrace = !string.IsNullOrEmpty(traceId);
        var hasSession = !string.IsNullOrEmpty(sessionId);
        var hasDatasetRun = !string.IsNullOrEmpty(datasetRunId);
        var targetsOne = (hasTrace && !hasSession && !hasDatasetRun) ||
            (hasSession && !hasTrace && !hasDatasetRun && string.IsNullOrEmpty(observationId)) ||
            (hasDatasetRun && !hasTrace && !hasSession && string.IsNullOrEmpty(observationId));
        if (!targetsOne)
        {
            throw new IngestionValidationException(path,
                "Provide exactly one of the following: traceId (with optional observationId), sessionId or datasetRunId. ObservationId requires traceId.");
        }
        if (hasDatasetRun)
        {
            // Dataset runs are not part of HotDash; refusing is better than storing a score nothing can find.
            throw new IngestionValidationException(LangfuseJson.Join(path, "datasetRunId"), "Scores on dataset runs are not supported by HotDash");
        }
        var source = LangfuseJson.OptionalString(body, "source", path) ?? "API";
        if (!Sources.Contains(source))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "source"), OneOf(Sources));
        }
        var configId = LangfuseJson.OptionalString(body, "configId", path);
        if (source == "ANNOTATION" && string.IsNullOrEmpty(configId))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "configId"), "configId is required when source is ANNOTATION (except for CORRECTION scores).");
        }
        var dataType = LangfuseJson.OptionalString(body, "dataType", path);
        if (dataType is not null && !DataTypes.Contains(dataType))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "dataType"), OneOf(DataTypes));
        }
        if (!LangfuseJson.TryGet(body, "value", out var value) || value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "value"), LangfuseJson.Expected(dataType switch
            {
                "NUMERIC" or "BOOLEAN" => "number",
                "CATEGORICAL" => "string",
                _ => "string | number",
            }, Kind(body, "value")));
        }
        double numeric = 0;
        string? stringValue = null;
        switch (dataType ?? (value.ValueKind == JsonValueKind.Number ? "NUMERIC" : "CATEGORICAL"))
        {
            case "NUMERIC":
                numeric = value.ValueKind == JsonValueKind.Number ? value.GetDouble()
                    : throw new IngestionValidationException(LangfuseJson.Join(path, "value"), LangfuseJson.Expected("number", value.ValueKind));
                dataType = "NUMERIC";
                break;
            case "BOOLEAN":
                numeric = value.ValueKind == JsonValueKind.Number ? value.GetDouble()
                    : throw new IngestionValidationException(LangfuseJson.Join(path, "value"), LangfuseJson.Expected("number", value.ValueKind));
                if (numeric is not (0 or 1))
                {
                    throw new IngestionValidationException(LangfuseJson.Join(path, "value"), "Value must be a number equal to either 0 or 1 for data type BOOLEAN");
                }
                stringValue = numeric == 1 ? "True" : "False";
                break;
            default:
                stringValue = value.ValueKind == JsonValueKind.String ? value.GetString()
                    : throw new IngestionValidationException(LangfuseJson.Join(path, "value"), LangfuseJson.Expected("string", value.ValueKind));
                dataType = "CATEGORICAL";
                break;
        }
        return new ScoreRecord(id)
        {
            ProjectId = projectId,
            TraceId = hasTrace ? traceId : null,
            SessionId = hasSession ? sessionId : null,
            ObservationId = string.IsNullOrEmpty(observationId) ? null : observationId,
            TimestampMs = LangfuseJson.OptionalTimestamp(body, "timestamp", path) ?? defaultTimestampMs,
            Name = name,
            Value = numeric,
            StringValue = stringValue,
            DataType = dataType,
            Source = source,
            Comment = LangfuseJson.OptionalString(body, "comment", path),
            Metadata = LangfuseJson.OptionalMetadata(body, "metadata"),
            Environment = Environment(body),
            ConfigId = string.IsNullOrEmpty(configId) ? null : configId,
        };
    }

    /// <summary>A new id, in the form Langfuse generates (<c>crypto.randomUUID()</c>).</summary>
    public static string NewId() => Guid.NewGuid().ToString("D");

    // Langfuse's environment schema catches every invalid value as "default"; not sent stays unset.
    private static string? Environment(JsonElement body) =>
        LangfuseJson.TryGet(body, "environment", out var value)
            ? value.ValueKind == JsonValueKind.String ? EnvironmentNames.Normalize(value.GetString()!) : EnvironmentNames.Default
            : null;

    // A record of string | number | boolean (and, for generations, string[] | record<string, string>) values.
    private static string? ModelParameters(JsonElement body, string path, bool allowCollections)
    {
        if (!LangfuseJson.TryGet(body, "modelParameters", out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new IngestionValidationException(LangfuseJson.Join(path, "modelParameters"), LangfuseJson.Expected("record", value.ValueKind));
        }
        foreach (var property in value.EnumerateObject())
        {
            var ok = property.Value.ValueKind switch
            {
                JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
                JsonValueKind.Array => allowCollections && property.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
                JsonValueKind.Object => allowCollections && property.Value.EnumerateObject().All(v => v.Value.ValueKind == JsonValueKind.String),
                _ => false,
            };
            if (!ok)
            {
                throw new IngestionValidationException(LangfuseJson.Join(path, $"modelParameters.{property.Name}"), "Invalid input");
            }
        }
        return value.GetRawText();
    }

    private static string OneOf(string[] options) => $"Invalid option: expected one of {string.Join("|", options.Select(o => $"\"{o}\""))}";

    private static JsonValueKind Kind(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;
}
