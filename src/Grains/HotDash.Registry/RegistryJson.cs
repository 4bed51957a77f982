using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HotDash.Grains;

namespace HotDash.Registry;

/// <summary>
/// The registry's jsonb columns and the definitions' dictionaries: <c>{"model": n}</c> limits, LiteLLM's
/// <c>model_max_budget</c> (<c>{"model": {"budget_limit": 0.5, "time_period": "1d"}}</c>), <c>aliases</c> and
/// <c>model_spend</c>. Reading is lenient (a row written by LiteLLM or by hand may hold numbers as strings): an entry
/// that cannot be read is left out rather than failing the whole definition.
/// </summary>
internal static class RegistryJson
{
    public const string EmptyObject = "{}";

    public static string WriteLongs(ImmutableDictionary<string, long>? values) =>
        values is null || values.IsEmpty ? EmptyObject : Write(values, static (w, v) => w.WriteNumberValue(v));

    public static string WriteDecimals(ImmutableDictionary<string, decimal>? values) =>
        values is null || values.IsEmpty ? EmptyObject : Write(values, static (w, v) => w.WriteNumberValue(v));

    public static string WriteStrings(ImmutableDictionary<string, string>? values) =>
        values is null || values.IsEmpty ? EmptyObject : Write(values, static (w, v) => w.WriteStringValue(v));

    public static string WriteBudgets(ImmutableDictionary<string, ModelBudget>? values) =>
        values is null || values.IsEmpty ? EmptyObject : Write(values, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("budget_limit", v.BudgetLimit);
            if (v.TimePeriod is { } period)
            {
                w.WriteString("time_period", LiteLlmDuration.Format(period));
            }
            else
            {
                w.WriteNull("time_period");
            }
            w.WriteEndObject();
        });

    public static ImmutableDictionary<string, long> ReadLongs(string? json) => Read(json, static (JsonElement e, out long v) =>
    {
        if (TryDecimal(e, out var d) && d >= long.MinValue && d <= long.MaxValue)
        {
            v = (long)decimal.Truncate(d);
            return true;
        }
        v = 0;
        return false;
    });

    public static ImmutableDictionary<string, decimal> ReadDecimals(string? json) => Read<decimal>(json, TryDecimal);

    public static ImmutableDictionary<string, string> ReadStrings(string? json) => Read(json, static (JsonElement e, out string v) =>
    {
        v = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        return e.ValueKind == JsonValueKind.String;
    });

    public static ImmutableDictionary<string, ModelBudget> ReadBudgets(string? json) => Read(json, static (JsonElement e, out ModelBudget v) =>
    {
        v = null!;
        // Older LiteLLM rows hold a bare number: a budget that never resets.
        if (TryDecimal(e, out var bare))
        {
            v = new ModelBudget(bare, null);
            return true;
        }
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("budget_limit", out var limit) || !TryDecimal(limit, out var amount))
        {
            return false;
        }
        TimeSpan? period = e.TryGetProperty("time_period", out var p) && p.ValueKind == JsonValueKind.String && LiteLlmDuration.TryParse(p.GetString(), out var parsed)
            ? parsed
            : null;
        v = new ModelBudget(amount, period);
        return true;
    });

    /// <summary>True when <paramref name="json"/> is one JSON object (what every <c>metadata</c> column holds).</summary>
    public static bool IsObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private delegate bool TryRead<T>(JsonElement element, out T value);

    private static string Write<T>(ImmutableDictionary<string, T> values, Action<Utf8JsonWriter, T> writeValue)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            // Sorted, so the same definition always gives the same text (audit diffs stay quiet).
            foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                writeValue(writer, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ImmutableDictionary<string, T> Read<T>(string? json, TryRead<T> readValue)
    {
        if (string.IsNullOrEmpty(json) || json == EmptyObject)
        {
            return ImmutableDictionary<string, T>.Empty;
        }
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            return ImmutableDictionary<string, T>.Empty;
        }
        var builder = ImmutableDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (readValue(property.Value, out var value))
            {
                builder[property.Name] = value;
            }
        }
        return builder.ToImmutable();
    }

    private static bool TryDecimal(JsonElement e, out decimal value)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                if (e.TryGetDecimal(out value))
                {
                    return true;
                }
                // Exponents beyond decimal's range: as close as a double gets.
                var d = e.GetDouble();
                value = double.IsFinite(d) && Math.Abs(d) < (double)decimal.MaxValue ? (decimal)d : 0;
                return double.IsFinite(d) && Math.Abs(d) < (double)decimal.MaxValue;
            case JsonValueKind.String:
                return decimal.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }
}
