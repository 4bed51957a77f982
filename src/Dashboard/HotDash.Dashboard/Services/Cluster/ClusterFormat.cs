using System.Globalization;

namespace HotDash.Dashboard.Services.Cluster;

/// <summary>How the Cluster page writes uptimes, memory and CPU (invariant culture; "–" for unknown).</summary>
public static class ClusterFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h"; "–" for none.</summary>
    public static string Uptime(TimeSpan? uptime)
    {
        if (uptime is not { } u || u < TimeSpan.Zero)
        {
            return "–";
        }
        return u.TotalMinutes < 1 ? $"{(int)u.TotalSeconds} s"
            : u.TotalHours < 1 ? $"{(int)u.TotalMinutes} min {u.Seconds} s"
            : u.TotalDays < 1 ? $"{(int)u.TotalHours} h {u.Minutes} min"
            : $"{(int)u.TotalDays} d {u.Hours} h";
    }

    /// <summary>"812 KB", "512 MB", "7.8 GB" (binary units); "–" for none.</summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b || b < 0)
        {
            return "–";
        }
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var text = unit == 0 || value >= 100 ? value.ToString("0", Inv) : value.ToString("0.#", Inv);
        return $"{text} {units[unit]}";
    }

    /// <summary>"12.5 %"; "–" for none.</summary>
    public static string Percent(float? percent) =>
        percent is { } p && !float.IsNaN(p) && p >= 0 ? p.ToString("0.#", Inv) + " %" : "–";

    /// <summary>"512 MB of 7.8 GB", "512 MB", or "–".</summary>
    public static string Memory(long? used, long? total) =>
        used is null ? "–" : total is > 0 ? $"{Bytes(used)} of {Bytes(total)}" : Bytes(used);
}
