using MudBlazor;

namespace HotDash.Dashboard.Components.Layout;

/// <summary>
/// The one MudBlazor theme of the dashboard (the app's layout and the login page), and how the light/dark choice is
/// remembered: a non-HttpOnly cookie, so the browser script can write it and the server can read it on the next request.
/// </summary>
public static class HotDashTheme
{
    /// <summary>The cookie holding the choice: <see cref="Dark"/> or <see cref="Light"/>.</summary>
    public const string Cookie = "hotdash.theme";

    /// <summary>The cookie value for dark mode.</summary>
    public const string Dark = "dark";

    /// <summary>The cookie value for light mode.</summary>
    public const string Light = "light";

    /// <summary>The palette: HotDash orange in both modes.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#d84315", AppbarBackground = "#bf360c" },
        PaletteDark = new PaletteDark { Primary = "#ff8a65" },
    };

    /// <summary>True when <paramref name="cookieValue"/> chooses dark mode (anything else, or none, is light).</summary>
    public static bool IsDark(string? cookieValue) => string.Equals(cookieValue, Dark, StringComparison.OrdinalIgnoreCase);
}
