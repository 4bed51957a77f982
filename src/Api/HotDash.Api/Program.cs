using HotDash.Api.Endpoints;
using HotDash.Api.Gateway;
using HotDash.Api.Infrastructure;
using HotDash.Api.Providers;
using HotDash.Hosting.Startup;

var config = HotDashStartup.TryLoadConfig(args, "gateway");
if (config is null || !HotDashStartup.PortsAreFree("gateway", config.HotDash.BindAddress, ("api_port", config.HotDash.ApiPort)))
{
    return HotDashStartup.StartupErrorExitCode;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddHotDashGateway(config);

var app = builder.Build();
HotDashStartup.LogConfig(app.Logger, config, "gateway");
if (app.Services.GetRequiredService<MasterKeyAuth>().IsOpen)
{
    GatewayLog.OpenGateway(app.Logger, config.HotDash.ApiPort);
}
_ = Task.Run(app.Services.GetRequiredService<TokenCounter>().WarmUp);

app.UseOpenAiShapedErrors();
app.MapOpenAiEndpoints();
app.MapManagementEndpoints();
app.MapGatewayHealth();

return await app.RunUntilStoppedAsync("gateway");

/// <summary>The gateway's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
