using System.Collections.Immutable;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// Reads <c>traces</c>, <c>observations</c> and <c>scores</c> rows (JSONEachRow, selected with the column lists here)
/// back into records, applying the read-back normalisation both stores share: no environment is <c>default</c>, no
/// level <c>DEFAULT</c>, unset flags false, absent tags, metadata, usage and cost empty, an empty observation name null.
/// </summary>
public static class ClickHouseRowReader
{
    /// <summary>The environment of rows written without one.</summary>
    public const string DefaultEnvironment = "default";

    /// <summary>The level of observations written without one.</summary>
    public const string DefaultLevel = "DEFAULT";

    /// <summary>The <c>traces</c> columns <see cref="Trace"/> reads.</summary>
    public const string TraceColumns =
        "id, project_id, timestamp, name, user_id, session_id, release, version, environment, public, bookmarked, tags, input, output, " +
        "metadata_keys, metadata_values, created_at, updated_at, event_ts";

    /// <summary>The <c>observations</c> columns <see cref="Observation"/> reads.</summary>
    public const string ObservationColumns =
        "id, project_id, trace_id, type, parent_observation_id, environment, start_time, end_time, completion_start_time, name, level, " +
        "status_message, version, input, output, metadata_keys, metadata_values, model_parameters, provided_model_name, " +
        "usage_details_keys, usage_details_values, cost_details_keys, cost_details_values, total_cost, prompt_name, prompt_version, " +
        "model_group, deployment, team_id, key_alias, end_user, cache_hit, created_at, updated_at, event_ts";

    /// <summary>The <c>scores</c> columns <see cref="Score"/> reads.</summary>
    public const string ScoreColumns =
        "id, project_id, trace_id, session_id, observation_id, timestamp, name, value_bits, string_value, data_type, source, comment, " +
        "metadata_keys, metadata_values, environment, config_id, created_at, updated_at, event_ts";

    /// <summary>A trace row.</summary>
    public static TraceRecord Trace(JsonElement row) => new(String(row, "id"))
    {
        ProjectId = String(row, "project_id"),
        TimestampMs = row.GetProperty("timestamp").GetInt64(),
        Name = NullableString(row, "name"),
        UserId = NullableString(row, "user_id"),
        SessionId = NullableString(row, "session_id"),
        Release = NullableString(row, "release"),
        Version = NullableString(row, "version"),
        Environment = String(row, "environment"),
        Public = row.GetProperty("public").GetInt32() != 0,
        Bookmarked = row.GetProperty("bookmarked").GetInt32() != 0,
        Tags = [.. row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)],
        Input = NullableString(row, "input"),
        Output = NullableString(row, "output"),
        Metadata = Map(row, "metadata", v => v.GetString()!),
        CreatedAtMs = row.GetProperty("created_at").GetInt64(),
        UpdatedAtMs = row.GetProperty("updated_at").GetInt64(),
        EventTsMs = checked((long)row.GetProperty("event_ts").GetUInt64()),
    };

    /// <summary>An observation row.</summary>
    public static ObservationRecord Observation(JsonElement row)
    {
        var name = String(row, "name");
        return new ObservationRecord(String(row, "id"))
        {
            ProjectId = String(row, "project_id"),
            TraceId = String(row, "trace_id"),
            Type = String(row, "type"),
            ParentObservationId = NullableString(row, "parent_observation_id"),
            Environment = String(row, "environment"),
            StartTimeMs = row.GetProperty("start_time").GetInt64(),
            EndTimeMs = NullableLong(row, "end_time"),
            CompletionStartTimeMs = NullableLong(row, "completion_start_time"),
            Name = name.Length == 0 ? null : name,
            Level = String(row, "level"),
            StatusMessage = NullableString(row, "status_message"),
            Version = NullableString(row, "version"),
            Input = NullableString(row, "input"),
            Output = NullableString(row, "output"),
            Metadata = Map(row, "metadata", v => v.GetString()!),
            ModelParameters = NullableString(row, "model_parameters"),
            Model = NullableString(row, "provided_model_name"),
            UsageDetails = Map(row, "usage_details", v => v.GetInt64()),
            CostDetails = Map(row, "cost_details", v => v.GetDecimal()),
            TotalCost = row.GetProperty("total_cost") is { ValueKind: not JsonValueKind.Null } cost ? cost.GetDecimal() : null,
            PromptName = NullableString(row, "prompt_name"),
            PromptVersion = row.GetProperty("prompt_version") is { ValueKind: not JsonValueKind.Null } version ? version.GetInt32() : null,
            ModelGroup = NullableString(row, "model_group"),
            Deployment = NullableString(row, "deployment"),
            TeamId = NullableString(row, "team_id"),
            KeyAlias = NullableString(row, "key_alias"),
            EndUser = NullableString(row, "end_user"),
            CacheHit = row.GetProperty("cache_hit").GetInt32() != 0,
            CreatedAtMs = row.GetProperty("created_at").GetInt64(),
            UpdatedAtMs = row.GetProperty("updated_at").GetInt64(),
            EventTsMs = checked((long)row.GetProperty("event_ts").GetUInt64()),
        };
    }

    /// <summary>A score row.</summary>
    public static ScoreRecord Score(JsonElement row) => new(String(row, "id"))
    {
        ProjectId = String(row, "project_id"),
        TraceId = NullableString(row, "trace_id"),
        SessionId = NullableString(row, "session_id"),
        ObservationId = NullableString(row, "observation_id"),
        TimestampMs = row.GetProperty("timestamp").GetInt64(),
        Name = String(row, "name"),
        Value = row.GetProperty("value_bits") is { ValueKind: not JsonValueKind.Null } bits
            ? BitConverter.Int64BitsToDouble(unchecked((long)bits.GetUInt64()))
            : null,
        StringValue = NullableString(row, "string_value"),
        DataType = NullableString(row, "data_type"),
        Source = NullableString(row, "source"),
        Comment = NullableString(row, "comment"),
        Metadata = Map(row, "metadata", v => v.GetString()!),
        Environment = String(row, "environment"),
        ConfigId = NullableString(row, "config_id"),
        CreatedAtMs = row.GetProperty("created_at").GetInt64(),
        UpdatedAtMs = row.GetProperty("updated_at").GetInt64(),
        EventTsMs = checked((long)row.GetProperty("event_ts").GetUInt64()),
    };

    private static string String(JsonElement row, string name) => row.GetProperty(name).GetString() ?? "";

    private static string? NullableString(JsonElement row, string name) =>
        row.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static long? NullableLong(JsonElement row, string name) =>
        row.GetProperty(name) is { ValueKind: not JsonValueKind.Null } value ? value.GetInt64() : null;

    private static ImmutableDictionary<string, T> Map<T>(JsonElement row, string prefix, Func<JsonElement, T> read)
    {
        var keys = row.GetProperty(prefix + "_keys");
        var values = row.GetProperty(prefix + "_values");
        if (keys.GetArrayLength() == 0)
        {
            return ImmutableDictionary<string, T>.Empty;
        }
        var builder = ImmutableDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        using var key = keys.EnumerateArray();
        using var value = values.EnumerateArray();
        while (key.MoveNext() && value.MoveNext())
        {
            builder[key.Current.GetString()!] = read(value.Current);
        }
        return builder.ToImmutable();
    }
}
