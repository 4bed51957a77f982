using System.Text.Json.Nodes;

namespace HotDash.Dashboard.PublicApi.Otel;

/// <summary>An attribute list as Langfuse reads it: a map in first-seen key order where a repeated key's last value wins.</summary>
internal sealed class OtelAttributes
{
    private readonly Dictionary<string, OtlpAnyValue> values = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public OtelAttributes(IEnumerable<OtlpKeyValue> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (!values.ContainsKey(attribute.Key))
            {
                order.Add(attribute.Key);
            }
            values[attribute.Key] = attribute.Value;
        }
    }

    /// <summary>Keys in first-seen order.</summary>
    public IReadOnlyList<string> Keys => order;

    /// <summary>The number of distinct keys.</summary>
    public int Count => order.Count;

    /// <summary>The value, or <see langword="null"/> when absent (an empty value counts as absent).</summary>
    public OtlpAnyValue? this[string key] => values.TryGetValue(key, out var value) && value.Kind != OtlpValueKind.Empty ? value : null;

    /// <summary>JavaScript's <c>key in attributes</c>.</summary>
    public bool Has(string key) => values.ContainsKey(key);

    /// <summary>JavaScript's <c>if (attributes[key])</c>.</summary>
    public bool IsTruthy(string key) => OtelJson.IsTruthy(this[key]);

    /// <summary>The value as a string (non-strings as JSON) when it is truthy, else <see langword="null"/>.</summary>
    public string? TruthyString(string key) => IsTruthy(key) ? OtelJson.Stringify(this[key]!) : null;

    /// <summary>The value as a string (non-strings as JSON) when present, else <see langword="null"/>.</summary>
    public string? String(string key) => this[key] is { } value ? OtelJson.Stringify(value) : null;

    /// <summary>The value when it is a string.</summary>
    public string? StringValue(string key) => this[key] is { Kind: OtlpValueKind.String } value ? value.StringValue : null;

    /// <summary>The keys with a prefix, in order.</summary>
    public IEnumerable<string> KeysStartingWith(string prefix) => order.Where(k => k.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>All attributes as a plain JSON object.</summary>
    public JsonObject ToObject() => OtelJson.ToObject(order.Select(k => (k, values[k])));
}
