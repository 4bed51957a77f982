namespace HotDash.Dashboard.PublicApi;

/// <summary>An empty protobuf message (an <c>ExportTraceServiceResponse</c> with no partial success): 200, zero bytes.</summary>
internal sealed class EmptyProtobufResult : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/x-protobuf";
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
