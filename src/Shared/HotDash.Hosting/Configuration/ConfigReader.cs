using System.Globalization;

namespace HotDash.Hosting.Configuration;

/// <summary>Typed, path-aware reads from one mapping; unknown keys become warnings.</summary>
internal sealed class ConfigReader(ConfigMap map, string path, Func<string, string?> env, List<string> warnings)
{
    public ConfigMap Map => map;
    public string Path => path;

    private string KeyPath(string key) => path.Length == 0 ? key : $"{path}.{key}";

    private ConfigException Wrong(string key, string problem) => new(KeyPath(key), problem, map.LineOf(key) ?? map.Line);

    /// <summary>Warns once for each key outside <paramref name="known"/>.</summary>
    public void WarnUnknown(IReadOnlySet<string> known, string what = "is not a setting HotDash knows; ignored")
    {
        foreach (var key in map.Keys)
        {
            if (!known.Contains(key))
            {
                warnings.Add($"{KeyPath(key)} {what}");
            }
        }
    }

    public bool Has(string key) => map.TryGet(key, out var v) && v is not null;

    /// <summary>A value with <c>os.environ/NAME</c> references resolved.</summary>
    public object? Resolved(string key)
    {
        map.TryGet(key, out var v);
        return Resolve(v, KeyPath(key));
    }

    internal object? Resolve(object? v, string keyPath)
    {
        if (v is string s && s.StartsWith("os.environ/", StringComparison.Ordinal))
        {
            var name = s["os.environ/".Length..];
            var value = env(name);
            if (value is null)
            {
                warnings.Add($"{keyPath} refers to the environment variable {name}, which is not set");
            }
            return value;
        }
        return v;
    }

    public string? String(string key, bool required = false)
    {
        var v = Resolved(key);
        switch (v)
        {
            case null when required:
                throw Wrong(key, "is required");
            case null:
                return null;
            case string s when required && s.Length == 0:
                throw Wrong(key, "must not be empty");
            case string s:
                return s;
            case long or double or bool:
                return System.Convert.ToString(v, CultureInfo.InvariantCulture)!.ToLowerInvariant();
            default:
                throw Wrong(key, $"must be a string, not {Describe(v)}");
        }
    }

    public long? Long(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        var v = Resolved(key);
        long? result = v switch
        {
            null => null,
            long l => l,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ => throw Wrong(key, $"must be a whole number, not {Describe(v)}"),
        };
        if (result < min)
        {
            throw Wrong(key, $"must be at least {min}, not {result}");
        }
        if (result > max)
        {
            throw Wrong(key, $"must be at most {max}, not {result}");
        }
        return result;
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue) => (int?)Long(key, min, max);

    public double? Double(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        var v = Resolved(key);
        double? result = v switch
        {
            null => null,
            long l => l,
            double d => d,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Wrong(key, $"must be a number, not {Describe(v)}"),
        };
        if (result < min || (result is { } r && (double.IsNaN(r) || double.IsInfinity(r))))
        {
            throw Wrong(key, $"must be a number of at least {min}, not {result}");
        }
        if (result > max)
        {
            throw Wrong(key, $"must be at most {max}, not {result}");
        }
        return result;
    }

    public decimal? Decimal(string key)
    {
        var d = Double(key, 0);
        return d is null ? null : (decimal)d.Value;
    }

    public bool? Bool(string key)
    {
        var v = Resolved(key);
        return v switch
        {
            null => null,
            bool b => b,
            string s when bool.TryParse(s.Trim(), out var b) => b,
            _ => throw Wrong(key, $"must be true or false, not {Describe(v)}"),
        };
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var v = Resolved(key);
        switch (v)
        {
            case null:
                return [];
            case string s:
                return [s]; // LiteLLM accepts a single callback name as well as a list
            case List<object?> list:
                var result = new List<string>(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    result.Add(Resolve(list[i], $"{KeyPath(key)}[{i}]") switch
                    {
                        string s => s,
                        null => throw new ConfigException($"{KeyPath(key)}[{i}]", "must be a string, not null", map.LineOf(key)),
                        var o => System.Convert.ToString(o, CultureInfo.InvariantCulture)!,
                    });
                }
                return result;
            default:
                throw Wrong(key, $"must be a list of strings, not {Describe(v)}");
        }
    }

    public ConfigReader? Section(string key, bool required = false)
    {
        map.TryGet(key, out var v);
        return v switch
        {
            null when required => throw Wrong(key, "is required"),
            null => null,
            ConfigMap m => new ConfigReader(m, KeyPath(key), env, warnings),
            _ => throw Wrong(key, $"must be a mapping, not {Describe(v)}"),
        };
    }

    public List<object?>? List(string key)
    {
        map.TryGet(key, out var v);
        return v switch
        {
            null => null,
            List<object?> l => l,
            _ => throw Wrong(key, $"must be a list, not {Describe(v)}"),
        };
    }

    /// <summary>Every key of this mapping, <c>os.environ/</c> references resolved, nested values plain.</summary>
    public Dictionary<string, object?> Raw()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Entries)
        {
            d[k] = ResolveDeep(v, KeyPath(k));
        }
        return d;
    }

    /// <summary>A plain copy of a nested value with every <c>os.environ/</c> reference inside it resolved.</summary>
    internal object? ResolveDeep(object? v, string keyPath) => v switch
    {
        ConfigMap m => m.Entries.ToDictionary(e => e.Key, e => ResolveDeep(e.Value, $"{keyPath}.{e.Key}"), StringComparer.Ordinal),
        List<object?> list => list.Select((item, i) => ResolveDeep(item, $"{keyPath}[{i}]")).ToList(),
        _ => Resolve(v, keyPath),
    };

    internal static string Describe(object? v) => v switch
    {
        null => "null",
        string s => $"the text \"{s}\"",
        bool b => b ? "true" : "false",
        long or double => $"the number {System.Convert.ToString(v, CultureInfo.InvariantCulture)}",
        ConfigMap => "a mapping",
        List<object?> => "a list",
        _ => v.GetType().Name,
    };
}
