using HotDash.Hosting.Startup;
using HotDash.Silo.Health;
using HotDash.Silo.Hosting;

var config = HotDashStartup.TryLoadConfig(args, "silo");
if (config is null || !SiloHostingExtensions.PortsAreFree(config))
{
    return HotDashStartup.StartupErrorExitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHotDashSilo(config);

var app = builder.Build();
app.MapSiloHealth();
app.LogSiloLifecycle(config);
return await app.RunSiloAsync(config);

/// <summary>The silo host; public so tests can reference the assembly's entry point.</summary>
public partial class Program {}
