namespace HotDash.Api.Gateway;

/// <summary>How one attempt against a deployment ended.</summary>
internal readonly record struct UpstreamResult(
    bool ResponseWritten,
    int StatusCode,
    bool Retryable,
    string? ErrorMessage,
    string? ErrorType,
    TokenUsage Usage,
    bool ClientGone = false)
{
    public static UpstreamResult Written(int status, TokenUsage usage) => new(true, status, false, null, null, usage);

    public static UpstreamResult Failed(int status, string message, string type, bool retryable) =>
        new(false, status, retryable, message, type, default);

    public static UpstreamResult Gone => new(true, 499, false, "client closed the connection", null, default, ClientGone: true);
}
