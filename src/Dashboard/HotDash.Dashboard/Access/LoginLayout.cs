using HotDash.Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace HotDash.Dashboard.Access;

/// <summary>
/// The login page's layout: the app's theme (light or dark as the <see cref="HotDashTheme.Cookie"/> cookie says) without
/// the navigation, which is of no use before signing in.
/// </summary>
public sealed class LoginLayout : LayoutComponentBase
{
    // The login page renders statically, so the request (and its cookie) is always at hand.
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudThemeProvider>(0);
        builder.AddComponentParameter(1, nameof(MudThemeProvider.Theme), HotDashTheme.Theme);
        builder.AddComponentParameter(2, nameof(MudThemeProvider.IsDarkMode), HotDashTheme.IsDark(HttpContext?.Request.Cookies[HotDashTheme.Cookie]));
        builder.CloseComponent();
        builder.AddContent(3, Body);
    }
}
