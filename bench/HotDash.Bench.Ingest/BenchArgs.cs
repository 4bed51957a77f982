using System.Globalization;

namespace HotDash.Bench.Ingest;

/// <summary>
/// <c>--name value</c> command-line pairs. Every value is checked when read, so a typo stops the run at once with the
/// option's name instead of benchmarking something else.
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            {
                throw new ArgumentException($"expected an option --name, got '{name}'");
            }
            if (!e.MoveNext())
            {
                throw new ArgumentException($"{name} needs a value");
            }
            _values[name[2..]] = e.Current;
        }
    }

    public string? Optional(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    }

    public string Required(string name) => Optional(name) ?? throw new ArgumentException($"--{name} is required");

    public Uri Url(string name) => Optional(name) is { } v ? ParseUrl(name, v) : throw new ArgumentException($"--{name} is required");

    public Uri? OptionalUrl(string name) => Optional(name) is { } v ? ParseUrl(name, v) : null;

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw new ArgumentException($"--{name} must be an integer from {min} to {max}, not '{text}'");
        }
        return v;
    }

    public TimeSpan Seconds(string name, double fallback, double min, double max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return TimeSpan.FromSeconds(fallback);
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw new ArgumentException($"--{name} must be a number of seconds from {min} to {max}, not '{text}'");
        }
        return TimeSpan.FromSeconds(v);
    }

    /// <summary>Fails on options nobody read (a misspelt option would otherwise be ignored silently).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }

    private static Uri ParseUrl(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--{name} must be an http(s) URL, not '{value}'");
        }
        return uri;
    }
}
