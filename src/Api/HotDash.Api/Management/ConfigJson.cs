using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace HotDash.Api.Management;

/// <summary>A value of the YAML config (plain dictionaries, lists, strings, numbers, booleans) as a JSON element.</summary>
internal static class ConfigJson
{
    /// <summary>The value as JSON, keeping only the keys <paramref name="keep"/> allows at the top level.</summary>
    public static JsonElement ToElement(object? value, Func<string, bool>? keep = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, HotDash.Api.Gateway.GatewayJsonWriter.Options))
        {
            Write(w, value, keep);
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter w, object? value, Func<string, bool>? keep)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            case decimal m:
                w.WriteNumberValue(m);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                w.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    if (keep is null || keep(k))
                    {
                        w.WritePropertyName(k);
                        Write(w, v, null);
                    }
                }
                w.WriteEndObject();
                break;
            case IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    Write(w, item, null);
                }
                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
