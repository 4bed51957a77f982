using System.Globalization;

namespace HotDash.Dashboard.Components.Shared;

/// <summary>Numbers for people: costs in dollars, latencies in ms or s, tokens with thousands separators (invariant culture).</summary>
public static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"$1,234.50" from a dollar up; below it up to six decimals, so small costs stay visible ("$0.0012"); "–" for none.</summary>
    public static string Cost(decimal? usd)
    {
        if (usd is not { } v)
        {
            return "–";
        }
        var sign = v < 0 ? "-" : "";
        v = Math.Abs(v);
        return sign + "$" + (v >= 1 ? v.ToString("N2", Inv) : v.ToString("0.00####", Inv));
    }

    /// <summary>"850 ms" below a second, "1.24 s" below a minute, "2 min 5 s" above; "–" for none or negative.</summary>
    public static string Latency(double? ms)
    {
        if (ms is not { } v || v < 0 || double.IsNaN(v))
        {
            return "–";
        }
        if (v < 1000)
        {
            return Math.Round(v).ToString("0", Inv) + " ms";
        }
        if (v < 60_000)
        {
            return (v / 1000).ToString("0.00", Inv) + " s";
        }
        var whole = (long)Math.Round(v / 1000);
        return $"{whole / 60} min {whole % 60} s";
    }

    /// <summary><see cref="Latency(double?)"/> of a duration in seconds.</summary>
    public static string Seconds(double? seconds) => Latency(seconds * 1000);

    /// <summary>"12,345"; "–" for none.</summary>
    public static string Tokens(long? n) => n is { } v ? v.ToString("N0", Inv) : "–";

    /// <summary>An epoch-millisecond time as "2026-12-01 17:45:04 UTC"; "–" for none.</summary>
    public static string Time(long? epochMs) => epochMs is { } v
        ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv)
        : "–";
}
