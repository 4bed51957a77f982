using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Analytics;

/// <summary>
/// Turns merged rows into the NDJSON bodies of <c>INSERT ... FORMAT JSONEachRow</c> (one body per table), in the column
/// layout of <c>Migrations/0001_langfuse_tables.sql</c>. Values are written so ClickHouse reads them back exactly:
/// decimals as plain JSON numbers (ClickHouse parses decimal text exactly, rounded here to the column's 12 places),
/// score values as their IEEE-754 bits (JSON floats are parsed to within an ulp only), longs as integers.
/// </summary>
public static class ClickHouseRowWriter
{
    /// <summary>The scale of every money column (<c>Decimal(18, 12)</c>).</summary>
    public const int MoneyScale = 12;

    // Decimal(18, 12) holds 6 integer digits.
    private const decimal MoneyLimit = 1_000_000m;

    // Date holds days 0..65535 from 1970-01-01; stay well inside it.
    private static readonly long MaxTimestampMs = new DateTimeOffset(2105, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // Non-ASCII text as UTF-8, not \u escapes: smaller bodies (ClickHouse decodes either).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The <c>traces</c> rows.</summary>
    /// <exception cref="ArgumentException">A row misses a field every merged row has, or holds a value the schema cannot store.</exception>
    public static ReadOnlyMemory<byte> Traces(IEnumerable<TraceRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Write(rows, static (json, t) =>
        {
            var timestamp = Timestamp(t.TimestampMs, "trace", t.Id, nameof(TraceRecord.TimestampMs));
            Key(json, t.Id, t.ProjectId);
            json.WriteNumber("timestamp", timestamp);
            json.WriteString("day", Day(timestamp));
            json.WriteString("name", t.Name);
            json.WriteString("user_id", t.UserId);
            json.WriteString("session_id", t.SessionId);
            json.WriteString("release", t.Release);
            json.WriteString("version", t.Version);
            json.WriteString("environment", t.Environment ?? ClickHouseRowReader.DefaultEnvironment);
            json.WriteNumber("public", t.Public == true ? 1 : 0);
            json.WriteNumber("bookmarked", t.Bookmarked == true ? 1 : 0);
            json.WriteStartArray("tags");
            foreach (var tag in t.Tags ?? [])
            {
                json.WriteStringValue(tag);
            }
            json.WriteEndArray();
            json.WriteString("input", t.Input);
            json.WriteString("output", t.Output);
            Strings(json, "metadata", t.Metadata);
            Bookkeeping(json, "trace", t.Id, t.CreatedAtMs, t.UpdatedAtMs, t.EventTsMs);
        });
    }

    /// <summary>The <c>observations</c> rows.</summary>
    /// <exception cref="ArgumentException">A row misses a field every merged row has, or holds a value the schema cannot store.</exception>
    public static ReadOnlyMemory<byte> Observations(IEnumerable<ObservationRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Write(rows, static (json, o) =>
        {
            var start = Timestamp(o.StartTimeMs, "observation", o.Id, nameof(ObservationRecord.StartTimeMs));
            Key(json, o.Id, o.ProjectId);
            json.WriteString("trace_id", o.TraceId ?? throw Missing("observation", o.Id, nameof(ObservationRecord.TraceId)));
            json.WriteString("type", o.Type ?? throw Missing("observation", o.Id, nameof(ObservationRecord.Type)));
            json.WriteString("parent_observation_id", o.ParentObservationId);
            json.WriteString("environment", o.Environment ?? ClickHouseRowReader.DefaultEnvironment);
            json.WriteNumber("start_time", start);
            NullableNumber(json, "end_time", o.EndTimeMs);
            NullableNumber(json, "completion_start_time", o.CompletionStartTimeMs);
            json.WriteString("day", Day(start));
            // Null names are stored as "" (the column is not Nullable, as in Langfuse) and read back as null.
            json.WriteString("name", o.Name ?? "");
            json.WriteString("level", o.Level ?? ClickHouseRowReader.DefaultLevel);
            json.WriteString("status_message", o.StatusMessage);
            json.WriteString("version", o.Version);
            json.WriteString("input", o.Input);
            json.WriteString("output", o.Output);
            Strings(json, "metadata", o.Metadata);
            json.WriteString("model_parameters", o.ModelParameters);
            json.WriteString("provided_model_name", o.Model);
            var usage = Sorted(o.UsageDetails);
            json.WriteStartArray("usage_details_keys");
            foreach (var pair in usage)
            {
                json.WriteStringValue(pair.Key);
            }
            json.WriteEndArray();
            json.WriteStartArray("usage_details_values");
            foreach (var pair in usage)
            {
                json.WriteNumberValue(pair.Value);
            }
            json.WriteEndArray();
            var costs = Sorted(o.CostDetails);
            json.WriteStartArray("cost_details_keys");
            foreach (var pair in costs)
            {
                json.WriteStringValue(pair.Key);
            }
            json.WriteEndArray();
            json.WriteStartArray("cost_details_values");
            foreach (var pair in costs)
            {
                json.WriteNumberValue(Money(pair.Value, o.Id, $"{nameof(ObservationRecord.CostDetails)}[{pair.Key}]"));
            }
            json.WriteEndArray();
            if (o.TotalCost is { } total)
            {
                json.WriteNumber("total_cost", Money(total, o.Id, nameof(ObservationRecord.TotalCost)));
            }
            else
            {
                json.WriteNull("total_cost");
            }
            json.WriteString("prompt_name", o.PromptName);
            NullableNumber(json, "prompt_version", o.PromptVersion);
            json.WriteString("model_group", o.ModelGroup);
            json.WriteString("deployment", o.Deployment);
            json.WriteString("team_id", o.TeamId);
            json.WriteString("key_alias", o.KeyAlias);
            json.WriteString("end_user", o.EndUser);
            json.WriteNumber("cache_hit", o.CacheHit == true ? 1 : 0);
            Bookkeeping(json, "observation", o.Id, o.CreatedAtMs, o.UpdatedAtMs, o.EventTsMs);
        });
    }

    /// <summary>The <c>scores</c> rows.</summary>
    /// <exception cref="ArgumentException">A row misses a field every merged row has, or holds a value the schema cannot store.</exception>
    public static ReadOnlyMemory<byte> Scores(IEnumerable<ScoreRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Write(rows, static (json, s) =>
        {
            var timestamp = Timestamp(s.TimestampMs, "score", s.Id, nameof(ScoreRecord.TimestampMs));
            Key(json, s.Id, s.ProjectId);
            json.WriteString("trace_id", s.TraceId);
            json.WriteString("session_id", s.SessionId);
            json.WriteString("observation_id", s.ObservationId);
            json.WriteNumber("timestamp", timestamp);
            json.WriteString("day", Day(timestamp));
            json.WriteString("name", s.Name ?? throw Missing("score", s.Id, nameof(ScoreRecord.Name)));
            if (s.Value is { } value)
            {
                json.WriteNumber("value_bits", ValueBits(value));
            }
            else
            {
                json.WriteNull("value_bits");
            }
            json.WriteString("string_value", s.StringValue);
            json.WriteString("data_type", s.DataType);
            json.WriteString("source", s.Source);
            json.WriteString("comment", s.Comment);
            Strings(json, "metadata", s.Metadata);
            json.WriteString("environment", s.Environment ?? ClickHouseRowReader.DefaultEnvironment);
            json.WriteString("config_id", s.ConfigId);
            Bookkeeping(json, "score", s.Id, s.CreatedAtMs, s.UpdatedAtMs, s.EventTsMs);
        });
    }

    /// <summary>The bits <c>value_bits</c> holds for <paramref name="value"/> (and SQL compares against).</summary>
    public static ulong ValueBits(double value) => unchecked((ulong)BitConverter.DoubleToInt64Bits(value));

    /// <summary><paramref name="value"/> at the money columns' scale; throws when it does not fit <c>Decimal(18, 12)</c>.</summary>
    public static decimal Money(decimal value, string id, string field)
    {
        var rounded = Math.Round(value, MoneyScale, MidpointRounding.ToEven);
        if (rounded <= -MoneyLimit || rounded >= MoneyLimit)
        {
            throw new ArgumentException($"observation {id}: {field} = {value.ToString(CultureInfo.InvariantCulture)} does not fit Decimal(18, 12)", nameof(value));
        }
        return rounded;
    }

    /// <summary>The UTC date of an epoch-ms timestamp as ClickHouse's <c>Date</c> text.</summary>
    public static string Day(long timestampMs) =>
        DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ReadOnlyMemory<byte> Write<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer, Options);
        foreach (var row in rows)
        {
            json.WriteStartObject();
            write(json, row);
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
        }
        return buffer.WrittenMemory;
    }

    private static void Key(Utf8JsonWriter json, string id, string projectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        json.WriteString("id", id);
        json.WriteString("project_id", projectId ?? "");
    }

    private static void Bookkeeping(Utf8JsonWriter json, string kind, string id, long? createdAt, long? updatedAt, long? eventTs)
    {
        json.WriteNumber("created_at", createdAt ?? throw Missing(kind, id, "CreatedAtMs"));
        json.WriteNumber("updated_at", updatedAt ?? throw Missing(kind, id, "UpdatedAtMs"));
        var version = eventTs ?? throw Missing(kind, id, "EventTsMs");
        // ReplacingMergeTree's version column must be unsigned.
        if (version < 0)
        {
            throw new ArgumentException($"{kind} {id}: EventTsMs {version} is negative", nameof(eventTs));
        }
        json.WriteNumber("event_ts", version);
        json.WriteNumber("is_deleted", 0);
    }

    private static long Timestamp(long? value, string kind, string id, string field)
    {
        var timestamp = value ?? throw Missing(kind, id, field);
        if (timestamp < 0 || timestamp > MaxTimestampMs)
        {
            throw new ArgumentException($"{kind} {id}: {field} {timestamp} is outside 1970..2105, the range of ClickHouse's Date", field);
        }
        return timestamp;
    }

    private static void NullableNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter json, string prefix, ImmutableDictionary<string, string>? map)
    {
        var pairs = Sorted(map);
        json.WriteStartArray(prefix + "_keys");
        foreach (var pair in pairs)
        {
            json.WriteStringValue(pair.Key);
        }
        json.WriteEndArray();
        json.WriteStartArray(prefix + "_values");
        foreach (var pair in pairs)
        {
            json.WriteStringValue(pair.Value);
        }
        json.WriteEndArray();
    }

    // Sorted so the same map is always the same row (and compresses alike).
    private static KeyValuePair<string, T>[] Sorted<T>(ImmutableDictionary<string, T>? map) =>
        map is null || map.IsEmpty ? [] : [.. map.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private static ArgumentException Missing(string kind, string id, string field) =>
        new($"{kind} {id}: {field} is required in a stored row", field);
}
