using HotDash.Dashboard.Hosting;
using HotDash.Hosting.Startup;

var config = HotDashStartup.TryLoadConfig(args, "dashboard");
if (config is null || !HotDashStartup.PortsAreFree("dashboard", config.HotDash.BindAddress, ("dashboard_port", config.HotDash.DashboardPort)))
{
    return HotDashStartup.StartupErrorExitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHotDashDashboard(config);

var app = builder.Build();
HotDashStartup.LogConfig(app.Logger, config, "dashboard");
app.MapHotDashDashboard();
return await app.RunUntilStoppedAsync("dashboard");

public partial class Program { }
