namespace HotDash.Api.Management;

/// <summary>
/// The Langfuse project endpoints of the management API: <c>/project/new</c>, <c>/project/list</c>, <c>/project/info</c>,
/// <c>/project/delete</c>, <c>/project/key/generate</c>, <c>/project/key/list</c>, <c>/project/key/delete</c>. Mapped by
/// <c>MapManagementEndpoints</c> with its handler wrapper, so they take the master key and answer errors exactly as
/// <c>/key/*</c> does.
/// </summary>
internal static class ProjectEndpoints
{
    /// <param name="app">The gateway's routes.</param>
    /// <param name="handle">The management API's wrapper: master-key check, cluster errors, OpenAI-shaped refusals.</param>
    public static void Map(IEndpointRouteBuilder app, Func<Func<ManagementCall, Task<ManagementReply>>, RequestDelegate> handle)
    {
        // Built here rather than registered: the management services' registration stays as it is.
        var projects = ActivatorUtilities.CreateInstance<ProjectManagement>(app.ServiceProvider);

        app.MapPost("/project/new", handle(projects.NewAsync));
        app.MapGet("/project/list", handle(projects.ListAsync));
        app.MapGet("/project/info", handle(projects.InfoAsync));
        app.MapPost("/project/delete", handle(projects.DeleteAsync));
        app.MapPost("/project/key/generate", handle(projects.GenerateKeyAsync));
        app.MapGet("/project/key/list", handle(projects.ListKeysAsync));
        app.MapPost("/project/key/delete", handle(projects.DeleteKeysAsync));
    }
}
