using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>
/// OTLP values as the plain JSON values Langfuse's OTel processor works with (<c>convertValueToPlainJavascript</c>), and
/// the JSON text HotDash stores.
/// </summary>
internal static class OtelJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };

    /// <summary>
    /// The plain value: strings, booleans, numbers and arrays as they are; a key/value list as an object; bytes as
    /// base64; non-finite doubles as their names (JSON has no NaN); an empty value as <see langword="null"/>.
    /// </summary>
    public static JsonNode? ToNode(OtlpAnyValue value) => value.Kind switch
    {
        OtlpValueKind.String => JsonValue.Create(value.StringValue!),
        OtlpValueKind.Bool => JsonValue.Create(value.BoolValue),
        OtlpValueKind.Int => JsonValue.Create(value.IntValue),
        OtlpValueKind.Double => double.IsFinite(value.DoubleValue)
            ? JsonValue.Create(value.DoubleValue)
            : JsonValue.Create(value.DoubleValue.ToString(CultureInfo.InvariantCulture)),
        OtlpValueKind.Bytes => JsonValue.Create(Convert.ToBase64String(value.BytesValue.AsSpan())),
        OtlpValueKind.Array => new JsonArray([.. value.ArrayValues.Select(ToNode)]),
        OtlpValueKind.KeyValueList => ToObject(value.KeyValues.Select(kv => (kv.Key, kv.Value))),
        _ => null,
    };

    /// <summary>Key/value pairs as a JSON object (later keys win).</summary>
    public static JsonObject ToObject(IEnumerable<(string Key, OtlpAnyValue Value)> pairs)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            obj[key] = ToNode(value);
        }
        return obj;
    }

    /// <summary>JavaScript's <c>typeof v === "string" ? v : JSON.stringify(v)</c>.</summary>
    public static string Stringify(OtlpAnyValue value) =>
        value.Kind == OtlpValueKind.String ? value.StringValue! : Write(ToNode(value));

    /// <summary>A node as compact JSON text (<c>null</c> for none).</summary>
    public static string Write(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A value as the JSON text of an input or output: a string that is itself JSON (what SDKs put in
    /// <c>langfuse.observation.input</c>) is kept as it is, any other string becomes a JSON string, other values
    /// their JSON.
    /// </summary>
    public static string ToJsonText(OtlpAnyValue value) =>
        value.Kind == OtlpValueKind.String ? TextAsJson(value.StringValue!) : Write(ToNode(value));

    /// <summary>A node as input/output JSON text (a string node is read as <see cref="TextAsJson"/>).</summary>
    public static string ToJsonText(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? TextAsJson(s) : Write(node);

    /// <summary>The text when it is a JSON document, else the text as a JSON string.</summary>
    public static string TextAsJson(string text) => TryParse(text, out _) ? text : Write(JsonValue.Create(text));

    /// <summary>The text parsed as JSON (Langfuse's <c>parseJsonPayload</c>); <see langword="false"/> when it is not JSON.</summary>
    public static bool TryParse(string text, out JsonNode? node)
    {
        node = null;
        var trimmed = text.AsSpan().TrimStart();
        // Cheap check first: most attribute strings are plain text.
        if (trimmed.IsEmpty || !(trimmed[0] is '{' or '[' or '"' or '-' or 't' or 'f' or 'n' || char.IsAsciiDigit(trimmed[0])))
        {
            return false;
        }
        try
        {
            node = JsonNode.Parse(text, documentOptions: DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The text parsed as a JSON object, or <see langword="null"/>.</summary>
    public static JsonObject? TryParseObject(string? text) => text is not null && TryParse(text, out var node) ? node as JsonObject : null;

    /// <summary>JavaScript's <c>Number(v)</c> for attribute values; <see langword="null"/> for NaN.</summary>
    public static double? ToNumber(OtlpAnyValue value) => value.Kind switch
    {
        OtlpValueKind.Int => value.IntValue,
        OtlpValueKind.Double => double.IsNaN(value.DoubleValue) ? null : value.DoubleValue,
        OtlpValueKind.Bool => value.BoolValue ? 1 : 0,
        OtlpValueKind.String => value.StringValue!.Trim() is var t && t.Length == 0 ? 0
            : double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
        _ => null,
    };

    /// <summary>JavaScript truthiness of an attribute value (empty string, 0, false, NaN and no value are falsy).</summary>
    public static bool IsTruthy(OtlpAnyValue? value) => value?.Kind switch
    {
        null or OtlpValueKind.Empty => false,
        OtlpValueKind.String => value.StringValue!.Length > 0,
        OtlpValueKind.Bool => value.BoolValue,
        OtlpValueKind.Int => value.IntValue != 0,
        OtlpValueKind.Double => value.DoubleValue != 0 && !double.IsNaN(value.DoubleValue),
        _ => true,
    };

    /// <summary>Langfuse's <c>hasMeaningfulValue</c>: not empty, not an empty string, array or object.</summary>
    public static bool IsMeaningful(OtlpAnyValue? value) => value?.Kind switch
    {
        null or OtlpValueKind.Empty => false,
        OtlpValueKind.String => value.StringValue!.Length > 0,
        OtlpValueKind.Array => value.ArrayValues.Length > 0,
        OtlpValueKind.KeyValueList => value.KeyValues.Length > 0,
        _ => true,
    };
}
