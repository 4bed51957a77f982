using Bunit;
using HotDash.Dashboard.Access;
using HotDash.Dashboard.Components.Layout;
using HotDash.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Admin;

/// <summary>One theme for the app and the login page, and the dark-mode choice kept in the <c>hotdash.theme</c> cookie.</summary>
public sealed class LookAndFeelTests : IAsyncLifetime
{
    private const string Script = "./Components/Layout/MainLayout.razor.js";

    // Composed, not inherited: MudBlazor's services dispose only asynchronously, and xunit disposes a test class synchronously.
    private readonly BunitContext _ctx = new();

    public LookAndFeelTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(new DashboardCredentials(HotDashConfigLoader.FromYaml("", null, _ => null), new ConfigurationBuilder().Build()));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Fact]
    public void MainLayout_CookieSaysDark_DarkOnceInteractive()
    {
        var module = _ctx.JSInterop.SetupModule(Script);
        module.Setup<string?>("getTheme").SetResult("dark");

        var layout = _ctx.Render<MainLayout>();

        layout.WaitForAssertion(() => Assert.True(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
        Assert.Same(HotDashTheme.Theme, layout.FindComponent<MudThemeProvider>().Instance.Theme);
    }

    [Fact]
    public void MainLayout_Toggled_WritesTheChoiceToTheCookie()
    {
        var module = _ctx.JSInterop.SetupModule(Script);
        module.Setup<string?>("getTheme").SetResult(null);
        module.SetupVoid("setTheme", _ => true).SetVoidResult();
        var layout = _ctx.Render<MainLayout>();
        layout.WaitForAssertion(() => Assert.NotEmpty(module.Invocations["getTheme"]));
        Assert.False(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));

        layout.Find("button[aria-label='Toggle dark mode']").Click();

        Assert.True(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        layout.WaitForAssertion(() => Assert.Equal("dark", module.VerifyInvoke("setTheme").Arguments[0]));
    }

    [Fact]
    public void LoginLayout_DarkCookie_AppThemeInDarkMode()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = HotDashTheme.Cookie + "=dark";

        var layout = _ctx.Render<LoginLayout>(p => p.AddCascadingValue(http));

        var theme = layout.FindComponent<MudThemeProvider>().Instance;
        Assert.Same(HotDashTheme.Theme, theme.Theme);
        Assert.True(theme.GetState(x => x.IsDarkMode));
    }

    [Fact]
    public void LoginLayout_NoCookie_AppThemeInLightMode()
    {
        var layout = _ctx.Render<LoginLayout>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));

        var theme = layout.FindComponent<MudThemeProvider>().Instance;
        Assert.Same(HotDashTheme.Theme, theme.Theme);
        Assert.False(theme.GetState(x => x.IsDarkMode));
    }
}
