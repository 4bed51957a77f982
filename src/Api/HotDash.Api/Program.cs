using HotDash.Api.Endpoints;
using HotDash.Api.Gateway;
using HotDash.Api.Infrastructure;
using HotDash.Api.Providers;
using HotDash.Hosting.Startup;
using Microsoft.Extensions.Options;

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
app.MapGatewayHealth();

try
{
    await app.RunAsync();
}
catch (OperationCanceledException)
{
    // Stopped (Ctrl-C / SIGTERM) while the Orleans client was still waiting for a silo: a clean stop.
}
catch (OptionsValidationException e)
{
    // ValidateOnStart: a HotDash__Gateway__* override out of range (the config file's values are range-checked on load).
    Console.Error.WriteLine($"hotdash gateway: config error: {string.Join("; ", e.Failures)}");
    return HotDashStartup.StartupErrorExitCode;
}
return 0;

/// <summary>The gateway's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
