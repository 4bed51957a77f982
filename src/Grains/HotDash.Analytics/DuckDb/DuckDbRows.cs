using System.Collections.Immutable;
using System.Data.Common;
using DuckDB.NET.Data;
using HotDash.Grains;

namespace HotDash.Analytics.DuckDb;

/// <summary>
/// Records to table rows and back. The column lists here are the single source of column order for the appender, the
/// upsert and every SELECT, so writing and reading cannot drift apart. Reads apply the normalisation both stores share
/// (environment <c>default</c>, level <c>DEFAULT</c>, false flags, empty tags and maps, empty observation name as null).
/// </summary>
internal static class DuckDbRows
{
    /// <summary>The trace columns written and read, in order.</summary>
    public static readonly IReadOnlyList<string> TraceColumns =
    [
        "id", "project_id", "timestamp", "day", "name", "user_id", "session_id", "release", "version", "environment",
        "public", "bookmarked", "tags", "input", "output", "metadata_keys", "metadata_values", "created_at", "updated_at",
        "event_ts",
    ];

    /// <summary>The observation columns written and read, in order.</summary>
    public static readonly IReadOnlyList<string> ObservationColumns =
    [
        "id", "trace_id", "project_id", "type", "parent_observation_id", "environment", "start_time", "end_time",
        "completion_start_time", "day", "name", "level", "status_message", "version", "input", "output", "metadata_keys",
        "metadata_values", "model_parameters", "provided_model_name", "usage_details_keys", "usage_details_values",
        "cost_details_keys", "cost_details_values", "total_cost", "prompt_name", "prompt_version", "model_group",
        "deployment", "team_id", "key_alias", "end_user", "cache_hit", "created_at", "updated_at", "event_ts",
    ];

    /// <summary>The score columns written and read, in order.</summary>
    public static readonly IReadOnlyList<string> ScoreColumns =
    [
        "id", "project_id", "trace_id", "session_id", "observation_id", "timestamp", "day", "name", "value", "string_value",
        "data_type", "source", "comment", "metadata_keys", "metadata_values", "environment", "config_id", "created_at",
        "updated_at", "event_ts",
    ];

    /// <summary>The trace columns as a SELECT list (optionally qualified by a table alias).</summary>
    public static string TraceSelect(string alias = "") => Select(TraceColumns, alias);

    /// <summary>The observation columns as a SELECT list.</summary>
    public static string ObservationSelect(string alias = "") => Select(ObservationColumns, alias);

    /// <summary>The score columns as a SELECT list.</summary>
    public static string ScoreSelect(string alias = "") => Select(ScoreColumns, alias);

    /// <summary>The UTC date of an epoch-millisecond time: the <c>day</c> column (ClickHouse: <c>toDate</c> of the UTC time).</summary>
    public static DateOnly Day(long epochMs) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime);

    /// <summary>Appends one trace in <see cref="TraceColumns"/> order.</summary>
    public static void Append(DuckDBAppender appender, TraceRecord t)
    {
        var timestamp = Required(t.TimestampMs, "trace", t.Id, nameof(TraceRecord.TimestampMs));
        var (metadataKeys, metadataValues) = Split(t.Metadata);
        appender.CreateRow()
            .AppendValue(t.Id)
            .AppendValue(t.ProjectId)
            .AppendValue(timestamp)
            .AppendValue(Day(timestamp))
            .AppendValue(t.Name)
            .AppendValue(t.UserId)
            .AppendValue(t.SessionId)
            .AppendValue(t.Release)
            .AppendValue(t.Version)
            .AppendValue(t.Environment ?? DefaultEnvironment)
            .AppendValue(t.Public ?? false)
            .AppendValue(t.Bookmarked ?? false)
            .AppendValue<string>(t.Tags is { IsDefault: false } tags ? tags : [])
            .AppendValue(t.Input)
            .AppendValue(t.Output)
            .AppendValue(metadataKeys)
            .AppendValue(metadataValues)
            .AppendValue(t.CreatedAtMs)
            .AppendValue(t.UpdatedAtMs)
            .AppendValue(Required(t.EventTsMs, "trace", t.Id, nameof(TraceRecord.EventTsMs)))
            .EndRow();
    }

    /// <summary>Appends one observation in <see cref="ObservationColumns"/> order.</summary>
    public static void Append(DuckDBAppender appender, ObservationRecord o)
    {
        var start = Required(o.StartTimeMs, "observation", o.Id, nameof(ObservationRecord.StartTimeMs));
        if (o.TraceId is null)
        {
            throw new ArgumentException($"observation {o.Id} has no {nameof(ObservationRecord.TraceId)}; stored rows are complete merges", nameof(o));
        }
        var (metadataKeys, metadataValues) = Split(o.Metadata);
        var usage = Sorted(o.UsageDetails);
        var cost = Sorted(o.CostDetails);
        appender.CreateRow()
            .AppendValue(o.Id)
            .AppendValue(o.TraceId)
            .AppendValue(o.ProjectId)
            .AppendValue(o.Type)
            .AppendValue(o.ParentObservationId)
            .AppendValue(o.Environment ?? DefaultEnvironment)
            .AppendValue(start)
            .AppendValue(o.EndTimeMs)
            .AppendValue(o.CompletionStartTimeMs)
            .AppendValue(Day(start))
            .AppendValue(o.Name ?? "")
            .AppendValue(o.Level ?? DefaultLevel)
            .AppendValue(o.StatusMessage)
            .AppendValue(o.Version)
            .AppendValue(o.Input)
            .AppendValue(o.Output)
            .AppendValue(metadataKeys)
            .AppendValue(metadataValues)
            .AppendValue(o.ModelParameters)
            .AppendValue(o.Model)
            .AppendValue(usage.Select(p => p.Key).ToList())
            .AppendValue(usage.Select(p => p.Value).ToList())
            .AppendValue(cost.Select(p => p.Key).ToList())
            .AppendValue(cost.Select(p => p.Value).ToList())
            .AppendValue(o.TotalCost)
            .AppendValue(o.PromptName)
            .AppendValue(o.PromptVersion)
            .AppendValue(o.ModelGroup)
            .AppendValue(o.Deployment)
            .AppendValue(o.TeamId)
            .AppendValue(o.KeyAlias)
            .AppendValue(o.EndUser)
            .AppendValue(o.CacheHit ?? false)
            .AppendValue(o.CreatedAtMs)
            .AppendValue(o.UpdatedAtMs)
            .AppendValue(Required(o.EventTsMs, "observation", o.Id, nameof(ObservationRecord.EventTsMs)))
            .EndRow();
    }

    /// <summary>Appends one score in <see cref="ScoreColumns"/> order.</summary>
    public static void Append(DuckDBAppender appender, ScoreRecord s)
    {
        var timestamp = Required(s.TimestampMs, "score", s.Id, nameof(ScoreRecord.TimestampMs));
        var (metadataKeys, metadataValues) = Split(s.Metadata);
        appender.CreateRow()
            .AppendValue(s.Id)
            .AppendValue(s.ProjectId)
            .AppendValue(s.TraceId)
            .AppendValue(s.SessionId)
            .AppendValue(s.ObservationId)
            .AppendValue(timestamp)
            .AppendValue(Day(timestamp))
            .AppendValue(s.Name)
            .AppendValue(s.Value)
            .AppendValue(s.StringValue)
            .AppendValue(s.DataType)
            .AppendValue(s.Source)
            .AppendValue(s.Comment)
            .AppendValue(metadataKeys)
            .AppendValue(metadataValues)
            .AppendValue(s.Environment ?? DefaultEnvironment)
            .AppendValue(s.ConfigId)
            .AppendValue(s.CreatedAtMs)
            .AppendValue(s.UpdatedAtMs)
            .AppendValue(Required(s.EventTsMs, "score", s.Id, nameof(ScoreRecord.EventTsMs)))
            .EndRow();
    }

    /// <summary>Reads a trace selected with <see cref="TraceSelect"/> starting at column <paramref name="at"/>.</summary>
    public static TraceRecord ReadTrace(DbDataReader r, int at = 0) => new(r.GetString(at))
    {
        ProjectId = r.GetString(at + 1),
        TimestampMs = r.GetInt64(at + 2),
        Name = String(r, at + 4),
        UserId = String(r, at + 5),
        SessionId = String(r, at + 6),
        Release = String(r, at + 7),
        Version = String(r, at + 8),
        Environment = r.GetString(at + 9),
        Public = r.GetBoolean(at + 10),
        Bookmarked = r.GetBoolean(at + 11),
        Tags = [.. r.GetFieldValue<List<string>>(at + 12)],
        Input = String(r, at + 13),
        Output = String(r, at + 14),
        Metadata = Map(r.GetFieldValue<List<string>>(at + 15), r.GetFieldValue<List<string>>(at + 16)),
        CreatedAtMs = Long(r, at + 17),
        UpdatedAtMs = Long(r, at + 18),
        EventTsMs = r.GetInt64(at + 19),
    };

    /// <summary>Reads an observation selected with <see cref="ObservationSelect"/> starting at column <paramref name="at"/>.</summary>
    public static ObservationRecord ReadObservation(DbDataReader r, int at = 0)
    {
        var name = r.GetString(at + 10);
        return new(r.GetString(at))
        {
            TraceId = r.GetString(at + 1),
            ProjectId = r.GetString(at + 2),
            Type = String(r, at + 3),
            ParentObservationId = String(r, at + 4),
            Environment = r.GetString(at + 5),
            StartTimeMs = r.GetInt64(at + 6),
            EndTimeMs = Long(r, at + 7),
            CompletionStartTimeMs = Long(r, at + 8),
            Name = name.Length == 0 ? null : name,
            Level = r.GetString(at + 11),
            StatusMessage = String(r, at + 12),
            Version = String(r, at + 13),
            Input = String(r, at + 14),
            Output = String(r, at + 15),
            Metadata = Map(r.GetFieldValue<List<string>>(at + 16), r.GetFieldValue<List<string>>(at + 17)),
            ModelParameters = String(r, at + 18),
            Model = String(r, at + 19),
            UsageDetails = Map(r.GetFieldValue<List<string>>(at + 20), r.GetFieldValue<List<long>>(at + 21)),
            CostDetails = Map(r.GetFieldValue<List<string>>(at + 22), r.GetFieldValue<List<decimal>>(at + 23).ConvertAll(Normalize)),
            TotalCost = r.IsDBNull(at + 24) ? null : Normalize(r.GetDecimal(at + 24)),
            PromptName = String(r, at + 25),
            PromptVersion = r.IsDBNull(at + 26) ? null : r.GetInt32(at + 26),
            ModelGroup = String(r, at + 27),
            Deployment = String(r, at + 28),
            TeamId = String(r, at + 29),
            KeyAlias = String(r, at + 30),
            EndUser = String(r, at + 31),
            CacheHit = r.GetBoolean(at + 32),
            CreatedAtMs = Long(r, at + 33),
            UpdatedAtMs = Long(r, at + 34),
            EventTsMs = r.GetInt64(at + 35),
        };
    }

    /// <summary>Reads a score selected with <see cref="ScoreSelect"/> starting at column <paramref name="at"/>.</summary>
    public static ScoreRecord ReadScore(DbDataReader r, int at = 0) => new(r.GetString(at))
    {
        ProjectId = r.GetString(at + 1),
        TraceId = String(r, at + 2),
        SessionId = String(r, at + 3),
        ObservationId = String(r, at + 4),
        TimestampMs = r.GetInt64(at + 5),
        Name = String(r, at + 7),
        Value = r.IsDBNull(at + 8) ? null : r.GetDouble(at + 8),
        StringValue = String(r, at + 9),
        DataType = String(r, at + 10),
        Source = String(r, at + 11),
        Comment = String(r, at + 12),
        Metadata = Map(r.GetFieldValue<List<string>>(at + 13), r.GetFieldValue<List<string>>(at + 14)),
        Environment = r.GetString(at + 15),
        ConfigId = String(r, at + 16),
        CreatedAtMs = Long(r, at + 17),
        UpdatedAtMs = Long(r, at + 18),
        EventTsMs = r.GetInt64(at + 19),
    };

    /// <summary>
    /// A decimal read from a <c>DECIMAL(18,12)</c> column carries all twelve places (<c>1.000000000000</c>); this gives
    /// the same value at its smallest scale (<c>1</c>), as it was most likely written, so equal values also print equal.
    /// </summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    private const string DefaultEnvironment = "default";

    private const string DefaultLevel = "DEFAULT";

    private static string Select(IReadOnlyList<string> columns, string alias) =>
        alias.Length == 0 ? string.Join(", ", columns) : string.Join(", ", columns.Select(c => $"{alias}.{c}"));

    private static long Required(long? value, string kind, string id, string field) =>
        value ?? throw new ArgumentException($"{kind} {id} has no {field}; stored rows are complete merges", field);

    private static string? String(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    // Keys sorted (ordinal) so a row's lists do not depend on a dictionary's enumeration order.
    private static KeyValuePair<string, T>[] Sorted<T>(ImmutableDictionary<string, T>? map) =>
        map is null ? [] : [.. map.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private static (List<string> Keys, List<string> Values) Split(ImmutableDictionary<string, string>? map)
    {
        var sorted = Sorted(map);
        return (sorted.Select(p => p.Key).ToList(), sorted.Select(p => p.Value).ToList());
    }

    private static ImmutableDictionary<string, T> Map<T>(List<string> keys, List<T> values)
    {
        if (keys.Count == 0)
        {
            return ImmutableDictionary<string, T>.Empty;
        }
        var builder = ImmutableDictionary.CreateBuilder<string, T>();
        for (var i = 0; i < keys.Count; i++)
        {
            builder[keys[i]] = values[i];
        }
        return builder.ToImmutable();
    }
}
