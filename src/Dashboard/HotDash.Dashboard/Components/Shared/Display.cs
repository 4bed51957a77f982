using MudBlazor;

namespace HotDash.Dashboard.Components.Shared;

/// <summary>How the pages write relative times and states; absolute times and numbers come from <see cref="Format"/>, the one formatter.</summary>
internal static class Display
{
    public static string Utc(DateTimeOffset t) => Format.Time(t.ToUnixTimeMilliseconds());

    public static string Ago(DateTimeOffset now, DateTimeOffset t)
    {
        var d = now - t;
        if (d < TimeSpan.FromSeconds(1))
        {
            return "just now";
        }
        return d.TotalSeconds < 60 ? $"{d.TotalSeconds:0} s ago"
            : d.TotalMinutes < 60 ? $"{d.TotalMinutes:0} min ago"
            : d.TotalHours < 48 ? $"{d.TotalHours:0.#} h ago"
            : $"{d.TotalDays:0} days ago";
    }

    public static string Number(long? n) => Format.Tokens(n);

    public static string Ms(double ms) => Format.Latency(ms);

    public static Color SiloColor(string status) => status switch
    {
        "Active" => Color.Success,
        "Joining" or "Created" => Color.Info,
        "ShuttingDown" or "Stopping" => Color.Warning,
        _ => Color.Default,
    };

    public static Color HealthColor(string? health) => health?.ToLowerInvariant() switch
    {
        "healthy" => Color.Success,
        "degraded" => Color.Warning,
        null or "" => Color.Default,
        _ => Color.Error,
    };
}
