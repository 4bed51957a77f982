using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HotDash.Api.Tests.Support;

/// <summary>The gateway's own Program, started with <c>--config PATH</c>.</summary>
internal sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly string configPath;
    private readonly IReadOnlyDictionary<string, string?> settings;

    public GatewayFactory(string configPath, bool realPort, IReadOnlyDictionary<string, string?>? settings = null)
    {
        this.configPath = configPath;
        this.settings = settings ?? new Dictionary<string, string?>();
        if (realPort)
        {
            // Kestrel on the address the config names (bind_address 127.0.0.1, api_port 0: a free port).
            UseKestrel();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("config", configPath);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
