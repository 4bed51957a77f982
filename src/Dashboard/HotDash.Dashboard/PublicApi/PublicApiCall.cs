namespace HotDash.Dashboard.PublicApi;

/// <summary>An authenticated public API request: the HTTP context, the key's project and what it may do.</summary>
internal sealed record PublicApiCall(HttpContext Http, string ProjectId, PublicApiAccess Access, IGrainFactory Grains, TimeProvider Time, ILogger Logger)
{
    public HttpRequest Request => Http.Request;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>A route value (<c>{traceId}</c>, ...), as routed.</summary>
    public string Route(string name) => Request.RouteValues[name] as string ?? "";
}
