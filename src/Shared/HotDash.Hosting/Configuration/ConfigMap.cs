namespace HotDash.Hosting.Configuration;

/// <summary>An ordered YAML mapping that remembers the line of each value, for error messages.</summary>
internal sealed class ConfigMap(int line)
{
    private readonly List<KeyValuePair<string, object?>> entries = [];
    private readonly Dictionary<string, int> lines = new(StringComparer.Ordinal);

    public int Line { get; } = line;

    public IEnumerable<KeyValuePair<string, object?>> Entries => entries;

    public IEnumerable<string> Keys => entries.Select(e => e.Key);

    public void Add(string key, object? value, int valueLine)
    {
        entries.RemoveAll(e => e.Key == key); // YAML: the last duplicate wins, as in PyYAML
        entries.Add(new(key, value));
        lines[key] = valueLine;
    }

    public bool TryGet(string key, out object? value)
    {
        foreach (var e in entries)
        {
            if (e.Key == key)
            {
                value = e.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public int? LineOf(string key) => lines.TryGetValue(key, out var l) ? l : null;

    /// <summary>A plain dictionary copy (nested maps become dictionaries too).</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in entries)
        {
            d[k] = Plain(v);
        }
        return d;
    }

    internal static object? Plain(object? v) => v switch
    {
        ConfigMap m => m.ToDictionary(),
        List<object?> list => list.Select(Plain).ToList(),
        _ => v,
    };
}
