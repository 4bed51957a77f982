using Bunit;
using HotDash.Dashboard.Hosting;
using HotDash.Dashboard.Services.Traces;
using HotDash.Hosting.Configuration;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace HotDash.Dashboard.Tests.Traces;

/// <summary>A bUnit context with the trace pages' services over <see cref="FakeAnalyticsQueryGrain"/> (no cluster).</summary>
public abstract class TracePagesContext : BunitContext, IAsyncLifetime
{
    /// <summary>The clock the pages read.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected TracePagesContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        AddBunitPersistentComponentState();
        Services.AddSingleton(_ => HotDashConfigLoader.FromYaml(ConfigYaml, null, _ => null));
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        Services.AddSingleton(Options.Create(new HotDashDashboardOptions()));
        Services.AddSingleton<IClusterClient>(new FakeClusterClient(Analytics));
        Services.AddSingleton<TraceQueryService>();
        Services.AddSingleton<SessionQueryService>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover services only dispose asynchronously; xunit then calls Dispose, which finds nothing left to do.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The config the pages read (gateway URL, tracing project); set before the first render.</summary>
    protected string ConfigYaml { get; set; } = "";

    /// <summary>What the pages read.</summary>
    protected FakeAnalyticsQueryGrain Analytics { get; } = new();

    /// <summary>The navigation manager the pages see.</summary>
    protected NavigationManager Nav => Services.GetRequiredService<NavigationManager>();

    /// <summary>Renders <typeparamref name="TPage"/> at <paramref name="relativeUrl"/> below a popover provider (the selects need one).</summary>
    protected IRenderedComponent<TPage> RenderAt<TPage>(string relativeUrl)
        where TPage : IComponent
    {
        Nav.NavigateTo(relativeUrl);
        var host = Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<TPage>(1);
            b.CloseComponent();
        });
        return host.FindComponent<TPage>();
    }
}
