using System.Text.Json;

namespace HotDash.Dashboard.PublicApi;

/// <summary>A JSON answer written straight into the response with <see cref="Utf8JsonWriter"/> (no reflection serialisation).</summary>
internal sealed class LangfuseJsonResult(int status, Action<Utf8JsonWriter> write) : IResult
{
    public int StatusCode => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var pipe = response.BodyWriter;
        using (var writer = new Utf8JsonWriter(pipe, LangfuseJson.WriterOptions))
        {
            write(writer);
        }
        await pipe.FlushAsync(httpContext.RequestAborted);
    }
}
