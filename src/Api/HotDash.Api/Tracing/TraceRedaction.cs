namespace HotDash.Api.Tracing;

/// <summary>What a trace never carries, and LiteLLM's stand-in for message content it must not log.</summary>
internal static class TraceRedaction
{
    /// <summary>LiteLLM's replacement for redacted input and output (<c>turn_off_message_logging</c>, <c>no-log</c>), as JSON text.</summary>
    public const string RedactedJson = "\"redacted-by-litellm\"";

    /// <summary>
    /// A name that may hold a credential (a metadata key, a header, a body field): such values never reach a trace,
    /// whoever sent them (e.g. LiteLLM's per-request <c>langfuse_secret_key</c>, a client-side <c>api_key</c>).
    /// </summary>
    public static bool IsSecretName(string name) =>
        name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("api_key", StringComparison.OrdinalIgnoreCase)
        || name.Contains("apikey", StringComparison.OrdinalIgnoreCase)
        || name.Contains("api-key", StringComparison.OrdinalIgnoreCase)
        || name.Contains("authorization", StringComparison.OrdinalIgnoreCase)
        || name.Contains("cookie", StringComparison.OrdinalIgnoreCase)
        || name.Contains("credential", StringComparison.OrdinalIgnoreCase)
        || name.Equals("public_key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("langfuse_public_key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("langfuse_host", StringComparison.OrdinalIgnoreCase);

    /// <summary>An <c>api_base</c> as it may be logged: without user info, query or fragment (where keys hide).</summary>
    public static string? SafeApiBase(string? apiBase)
    {
        if (string.IsNullOrEmpty(apiBase))
        {
            return null;
        }
        if (!Uri.TryCreate(apiBase, UriKind.Absolute, out var uri))
        {
            return null; // not a URL we can take apart: rather nothing than a key
        }
        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
    }
}
