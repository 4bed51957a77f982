using HotDash.Api.Gateway;
using HotDash.Api.Management;
using HotDash.Hosting.Orleans;

// In the namespace of the other endpoint maps, so Program.cs maps it with one line.
namespace HotDash.Api.Endpoints;

/// <summary>
/// LiteLLM's management API (<c>/key/*</c>, <c>/team/*</c>, <c>/user/*</c>, <c>/spend/logs</c>, <c>/global/spend/report</c>)
/// with LiteLLM's request and response JSON. Master key only; with no master key configured the gateway is open and
/// so is this, as LiteLLM is without one.
/// </summary>
internal static class ManagementEndpoints
{
    public static IEndpointRouteBuilder MapManagementEndpoints(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var auth = services.GetRequiredService<MasterKeyAuth>();
        var connection = services.GetRequiredService<ClusterConnection>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("HotDash.Api.Management");
        var keys = services.GetRequiredService<KeyManagement>();
        var teams = services.GetRequiredService<TeamManagement>();
        var users = services.GetRequiredService<UserManagement>();
        var spend = services.GetRequiredService<SpendManagement>();

        RequestDelegate Handle(Func<ManagementCall, Task<ManagementReply>> handler) => ctx => RunAsync(ctx, auth, connection, logger, handler);

        app.MapPost("/key/generate", Handle(keys.GenerateAsync));
        app.MapPost("/key/update", Handle(keys.UpdateAsync));
        app.MapPost("/key/delete", Handle(keys.DeleteAsync));
        app.MapGet("/key/info", Handle(keys.InfoAsync));
        app.MapGet("/key/list", Handle(keys.ListAsync));
        app.MapPost("/key/block", Handle(keys.BlockAsync));
        app.MapPost("/key/unblock", Handle(keys.UnblockAsync));
        app.MapPost("/key/regenerate", Handle(keys.RegenerateAsync));
        app.MapPost("/key/{key}/regenerate", Handle(keys.RegenerateAsync));

        app.MapPost("/team/new", Handle(teams.NewAsync));
        app.MapPost("/team/update", Handle(teams.UpdateAsync));
        app.MapPost("/team/delete", Handle(teams.DeleteAsync));
        app.MapGet("/team/info", Handle(teams.InfoAsync));
        app.MapGet("/team/list", Handle(teams.ListAsync));
        app.MapPost("/team/member_add", Handle(teams.MemberAddAsync));
        app.MapPost("/team/member_delete", Handle(teams.MemberDeleteAsync));
        app.MapPost("/team/block", Handle(teams.BlockAsync));
        app.MapPost("/team/unblock", Handle(teams.UnblockAsync));

        app.MapPost("/user/new", Handle(users.NewAsync));
        app.MapGet("/user/info", Handle(users.InfoAsync));
        app.MapGet("/user/list", Handle(users.ListAsync));
        app.MapPost("/user/update", Handle(users.UpdateAsync));
        app.MapPost("/user/delete", Handle(users.DeleteAsync));

        app.MapGet("/spend/logs", Handle(spend.LogsAsync));
        app.MapGet("/global/spend/report", Handle(spend.ReportAsync));
        ProjectEndpoints.Map(app, Handle);
        CacheEndpoints.Map(app, Handle);
        return app;
    }

    private static async Task RunAsync(
        HttpContext ctx, MasterKeyAuth auth, ClusterConnection connection, ILogger logger, Func<ManagementCall, Task<ManagementReply>> handler)
    {
        var request = ctx.Request;
        if (!auth.IsAuthorized(request))
        {
            await OpenAiError.WriteAsync(ctx, 401,
                "Authentication Error: the management API takes the master key. Send 'Authorization: Bearer <master key>'.", OpenAiError.Auth, "api_key");
            return;
        }
        ManagementReply reply;
        if (connection.ConnectedGateways == 0)
        {
            // A grain call now would fail with a misleading "no implementation" error.
            reply = ManagementReply.Error(new ManagementError(503, "The registry is unavailable: not connected to any silo (is the silo running?).", null, OpenAiError.Connection));
        }
        else
        {
            try
            {
                reply = await handler(new ManagementCall(ctx, ManagementCall.ActorOf(request, auth.IsOpen)));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !ctx.RequestAborted.IsCancellationRequested)
            {
                ManagementLog.ClusterFailed(logger, e, request.Method, request.Path);
                reply = ManagementReply.Error(new ManagementError(503, $"The registry did not answer: {e.Message}", null, OpenAiError.Connection));
            }
        }
        if (reply.Status >= 400)
        {
            ManagementLog.Refused(logger, request.Method, request.Path, reply.Status, reply.Param);
        }
        await reply.WriteAsync(ctx);
    }
}
