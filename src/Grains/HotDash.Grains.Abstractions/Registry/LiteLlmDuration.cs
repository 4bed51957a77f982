using System.Globalization;

namespace HotDash.Grains;

/// <summary>
/// LiteLLM's durations (<c>duration</c>, <c>budget_duration</c>, <c>time_period</c>): a positive whole number and a
/// unit, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c> or <c>mo</c> (30 days): <c>30s</c>, <c>30m</c>, <c>30h</c>, <c>30d</c>.
/// </summary>
public static class LiteLlmDuration
{
    /// <summary>Parses <paramref name="text"/>; false for anything else (<c>30x</c>, <c>-1d</c>, <c>0s</c>, <c>d</c>).</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }
        if (digits == 0 || digits > 9 || !long.TryParse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }
        var seconds = s[digits..] switch
        {
            "s" => 1L,
            "m" => 60L,
            "h" => 3_600L,
            "d" => 86_400L,
            "w" => 7 * 86_400L,
            "mo" => 30 * 86_400L,
            _ => 0L,
        };
        if (seconds == 0)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(n * seconds);
        return true;
    }

    /// <summary>The shortest LiteLLM form of <paramref name="duration"/> (<c>1d</c>, <c>90m</c>, <c>45s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        return seconds % 86_400 == 0 ? $"{seconds / 86_400}d"
            : seconds % 3_600 == 0 ? $"{seconds / 3_600}h"
            : seconds % 60 == 0 ? $"{seconds / 60}m"
            : $"{seconds}s";
    }
}
