using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace HotDash.Dashboard.Access;

/// <summary>The login page's layout: the MudBlazor theme without the navigation, which is of no use before signing in.</summary>
public sealed class LoginLayout : LayoutComponentBase
{
    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudThemeProvider>(0);
        builder.CloseComponent();
        builder.AddContent(1, Body);
    }
}
