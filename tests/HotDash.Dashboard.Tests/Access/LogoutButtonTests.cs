using Bunit;
using HotDash.Dashboard.Access;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Access;

public sealed class LogoutButtonTests
{
    [Fact]
    public async Task LogoutButton_LoginRequired_PostsToLogoutWithAntiforgery()
    {
        // MudBlazor's services only dispose asynchronously.
        await using var ctx = Context("general_settings:\n  master_key: sk-master\n");

        var button = ctx.Render<LogoutButton>();

        var form = button.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("logout", form.GetAttribute("action"));
        Assert.NotNull(button.Find("button[type=submit]"));
    }

    [Fact]
    public async Task LogoutButton_OpenDashboard_RendersNothing()
    {
        await using var ctx = Context("");

        var button = ctx.Render<LogoutButton>();

        Assert.Empty(button.FindAll("form"));
    }

    private static BunitContext Context(string yaml)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new DashboardCredentials(HotDashConfigLoader.FromYaml(yaml, null, _ => null), new ConfigurationBuilder().Build()));
        return ctx;
    }
}
