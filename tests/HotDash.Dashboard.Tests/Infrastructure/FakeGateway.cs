using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>Stands in for the gateway API on 127.0.0.1: answers <c>/health/readiness</c> as the gateway does.</summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGateway(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<FakeGateway> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/health/readiness", () => Results.Json(new { status = "healthy", db = "Not connected" }));
        await app.StartAsync();
        return new FakeGateway(app, port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
