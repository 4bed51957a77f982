using System.Buffers;
using System.Text.Json;
using HotDash.Api.Gateway;

namespace HotDash.Api.Management;

/// <summary>A management call's answer: its status and JSON body (an OpenAI-shaped error when refused).</summary>
internal sealed class ManagementReply(int status, byte[] body, string? param = null)
{
    public int Status => status;

    /// <summary>For a refusal, the field at fault (for the log); else <see langword="null"/>.</summary>
    public string? Param => param;

    public ReadOnlyMemory<byte> Body => body;

    /// <summary>200 with the JSON <paramref name="write"/> produces.</summary>
    public static ManagementReply Json(Action<Utf8JsonWriter> write) => Json(200, write);

    public static ManagementReply Json(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, HotDash.Api.Gateway.GatewayJsonWriter.Options))
        {
            write(w);
        }
        return new ManagementReply(status, buffer.WrittenSpan.ToArray());
    }

    /// <summary><c>{"error":{"message","type","param","code"}}</c> with the error's status.</summary>
    public static ManagementReply Error(ManagementError error) =>
        new(error.Status, OpenAiError.Serialize(error.Message, error.Type, error.Param, error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)), error.Param);

    public static ManagementReply Invalid(string? param, string message) => Error(ManagementError.Invalid(param, message));

    public static ManagementReply NotFound(string? param, string message) => Error(ManagementError.NotFound(param, message));

    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
