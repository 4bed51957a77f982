using System.Text.Json;

namespace HotDash.Api.Gateway;

/// <summary>Writes errors in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>, code the status as a string.</summary>
internal static class OpenAiError
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Auth = "auth_error";
    public const string NotFound = "not_found_error";
    public const string Timeout = "timeout_error";
    public const string RateLimit = "rate_limit_error";
    public const string Upstream = "upstream_error";
    public const string Connection = "api_connection_error";
    public const string Internal = "internal_server_error";
    public const string ExpiredKey = "expired_key";
    public const string KeyModelAccessDenied = "key_model_access_denied";
    public const string ServiceUnavailable = "service_unavailable";

    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param = null, string? code = null) =>
        WriteAsync(context, status, message, type, param, code, rateLimitType: null);

    /// <summary>
    /// A quota's 429: the error object also carries LiteLLM's <c>rate_limit_type</c> (which limit refused), after
    /// the four OpenAI fields so clients that read only those see the usual shape.
    /// </summary>
    public static Task WriteRateLimitedAsync(HttpContext context, string message, string type, string? rateLimitType) =>
        WriteAsync(context, 429, message, type, null, null, rateLimitType);

    private static Task WriteAsync(HttpContext context, int status, string message, string type, string? param, string? code, string? rateLimitType)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Serialize(message, type, param, code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture), rateLimitType);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>The error object as UTF-8 JSON (also the payload of a mid-stream SSE error event).</summary>
    public static byte[] Serialize(string message, string type, string? param, string code, string? rateLimitType = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128 + message.Length);
        using (var w = new Utf8JsonWriter(buffer, GatewayJsonWriter.Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", type);
            if (param is null)
            {
                w.WriteNull("param");
            }
            else
            {
                w.WriteString("param", param);
            }
            w.WriteString("code", code);
            if (rateLimitType is not null)
            {
                w.WriteString("rate_limit_type", rateLimitType);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The error type OpenAI uses for a status an upstream answered with.</summary>
    public static string TypeForStatus(int status) => status switch
    {
        400 or 404 or 409 or 413 or 415 or 422 => InvalidRequest,
        401 or 403 => Auth,
        408 or 504 => Timeout,
        429 => RateLimit,
        _ => Upstream,
    };
}
