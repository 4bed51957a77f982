using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>
/// Typed reads of a Langfuse event body with zod-like messages. A field that is absent or <c>null</c> is "not sent"
/// (zod's <c>nullish</c>); a field of the wrong type throws <see cref="IngestionValidationException"/>.
/// </summary>
internal static class LangfuseJson
{
    /// <summary>The longest id Langfuse accepts (its S3 key budget).</summary>
    public const int MaxIdLength = 800;

    // JSON.stringify escapes neither non-ASCII nor HTML characters; match it so stored text reads the same.
    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>A field's path: <c>body.name</c>, or <c>name</c> at the top.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>zod's name for a JSON value's type.</summary>
    public static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "undefined",
    };

    /// <summary>zod's wrong-type message.</summary>
    public static string Expected(string expected, JsonValueKind received) =>
        $"Invalid input: expected {expected}, received {TypeName(received)}";

    /// <summary>The property when it is present and not <c>null</c>.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Whether the property is present at all (even as <c>null</c>), JavaScript's <c>name in obj</c>.</summary>
    public static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out _);

    /// <summary>An optional string.</summary>
    public static string? OptionalString(JsonElement obj, string name, string path, int maxLength = int.MaxValue)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new IngestionValidationException(Join(path, name), Expected("string", value.ValueKind));
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            throw new IngestionValidationException(Join(path, name), $"Too big: expected string to have <={maxLength} characters");
        }
        return text;
    }

    /// <summary>A required string that must not be empty (zod's <c>NonEmptyString</c>).</summary>
    public static string RequiredNonEmptyString(JsonElement obj, string name, string path)
    {
        var text = OptionalString(obj, name, path) ?? throw new IngestionValidationException(Join(path, name), Expected("string", Kind(obj, name)));
        return text.Length > 0 ? text : throw new IngestionValidationException(Join(path, name), "Too small: expected string to have >=1 characters");
    }

    /// <summary>An optional id (Langfuse's <c>idSchema</c>: 1 to 800 characters, no carriage return).</summary>
    public static string? OptionalId(JsonElement obj, string name, string path)
    {
        var id = OptionalString(obj, name, path);
        return id is null ? null : CheckId(id, Join(path, name));
    }

    /// <summary>A required id.</summary>
    public static string RequiredId(JsonElement obj, string name, string path) =>
        OptionalId(obj, name, path) ?? throw new IngestionValidationException(Join(path, name), Expected("string", Kind(obj, name)));

    /// <summary>Checks an id against Langfuse's <c>idSchema</c>.</summary>
    public static string CheckId(string id, string path)
    {
        if (id.Length == 0)
        {
            throw new IngestionValidationException(path, "Too small: expected string to have >=1 characters");
        }
        if (id.Length > MaxIdLength)
        {
            throw new IngestionValidationException(path, $"Too big: expected string to have <={MaxIdLength} characters");
        }
        if (id.Contains('\r'))
        {
            throw new IngestionValidationException(path, "ID cannot contain carriage return characters");
        }
        return id;
    }

    /// <summary>An optional boolean.</summary>
    public static bool? OptionalBool(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new IngestionValidationException(Join(path, name), Expected("boolean", value.ValueKind)),
        };
    }

    /// <summary>An optional ISO 8601 date-time, as UTC epoch ms.</summary>
    public static long? OptionalTimestamp(JsonElement obj, string name, string path)
    {
        var text = OptionalString(obj, name, path);
        if (text is null)
        {
            return null;
        }
        return IsoTimestamp.TryParse(text, out var ms) ? ms : throw new IngestionValidationException(Join(path, name), "Invalid ISO datetime");
    }

    /// <summary>An optional integer (a JSON number without a fraction, as JavaScript's <c>Number.isInteger</c>).</summary>
    public static long? OptionalInteger(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new IngestionValidationException(Join(path, name), Expected("number", value.ValueKind));
        }
        return TryGetInteger(value, out var integer)
            ? integer
            : throw new IngestionValidationException(Join(path, name), "Invalid input: expected int, received number");
    }

    /// <summary>An optional number as a double.</summary>
    public static double? OptionalNumber(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new IngestionValidationException(Join(path, name), Expected("number", value.ValueKind));
    }

    /// <summary>A JSON number that is a whole number within the range of <see cref="long"/>.</summary>
    public static bool TryGetInteger(JsonElement value, out long integer)
    {
        if (value.TryGetInt64(out integer))
        {
            return true;
        }
        // 5.0 and 1e3 are integers to JavaScript too.
        var d = value.GetDouble();
        if (double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
        {
            integer = (long)d;
            return true;
        }
        integer = 0;
        return false;
    }

    /// <summary>A JSON number as a decimal (costs); <see langword="false"/> when it does not fit one.</summary>
    public static bool TryGetDecimal(JsonElement value, out decimal result)
    {
        if (value.TryGetDecimal(out result))
        {
            return true;
        }
        var d = value.GetDouble();
        if (double.IsFinite(d) && Math.Abs(d) < 7.9e28)
        {
            result = (decimal)d;
            return true;
        }
        return false;
    }

    /// <summary>An optional array of strings.</summary>
    public static ImmutableArray<string>? OptionalStringArray(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new IngestionValidationException(Join(path, name), Expected("array", value.ValueKind));
        }
        var builder = ImmutableArray.CreateBuilder<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new IngestionValidationException($"{Join(path, name)}[{index}]", Expected("string", item.ValueKind));
            }
            builder.Add(item.GetString()!);
            index++;
        }
        return builder.MoveToImmutable();
    }

    /// <summary>Any JSON value (input, output) as its exact JSON text; <see langword="null"/> when not sent.</summary>
    public static string? OptionalRawJson(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? value.GetRawText() : null;

    /// <summary>Metadata flattened to its top-level keys (<see cref="FlattenMetadata"/>); <see langword="null"/> when not sent.</summary>
    public static ImmutableDictionary<string, string>? OptionalMetadata(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? FlattenMetadata(value) : null;

    /// <summary>
    /// Langfuse v3's metadata columns (<c>convertJsonSchemaToRecord</c>, then string values): an object's top-level keys,
    /// strings as they are and other values as compact JSON; a string, number or boolean becomes
    /// <c>{"metadata": value}</c>, an array <c>{"metadata": "[...]"}</c>.
    /// </summary>
    public static ImmutableDictionary<string, string> FlattenMetadata(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    // Later duplicates win, as in JSON.parse.
                    builder[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : Compact(property.Value);
                }
                return builder.ToImmutable();
            case JsonValueKind.String:
                return ImmutableDictionary<string, string>.Empty.Add("metadata", value.GetString()!);
            case JsonValueKind.Array:
                return ImmutableDictionary<string, string>.Empty.Add("metadata", Compact(value));
            default:
                return ImmutableDictionary<string, string>.Empty.Add("metadata", value.GetRawText());
        }
    }

    /// <summary>A JSON value as compact text (JSON.stringify's shape).</summary>
    public static string Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactOptions))
        {
            value.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonValueKind Kind(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;
}
