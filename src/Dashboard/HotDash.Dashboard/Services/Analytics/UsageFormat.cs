using System.Globalization;
using HotDash.Dashboard.Components.Shared;

namespace HotDash.Dashboard.Services.Analytics;

/// <summary>The overview's numbers for people, beside <see cref="Format"/>: rates, counts and bucket widths.</summary>
public static class UsageFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A 0..1 rate as "12.5%" ("0%" for none, "&lt;0.1%" for a small non-zero one).</summary>
    public static string Percent(double rate)
    {
        if (!(rate > 0))
        {
            return "0%";
        }
        var pct = rate * 100;
        return pct < 0.1 ? "<0.1%" : pct.ToString(pct >= 10 ? "0.#" : "0.##", Inv) + "%";
    }

    /// <summary>"12,345".</summary>
    public static string Count(long n) => Format.Tokens(n);

    /// <summary>A bucket width: "1 min", "15 min", "2 h", "1 day", "7 days".</summary>
    public static string Width(long ms)
    {
        var minutes = ms / UsageWindow.MinuteMs;
        return minutes < 60 ? $"{minutes} min"
            : minutes < 1440 ? string.Create(Inv, $"{minutes / 60.0:0.#} h")
            : minutes == 1440 ? "1 day"
            : string.Create(Inv, $"{minutes / 1440.0:0.#} days");
    }
}
