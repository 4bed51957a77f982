namespace HotDash.Api.Gateway;

/// <summary>The response headers LiteLLM sends, which clients and scripts read.</summary>
internal static class GatewayHeaders
{
    public const string CallId = "x-litellm-call-id";
    public const string ModelId = "x-litellm-model-id";
    public const string ModelApiBase = "x-litellm-model-api-base";
    public const string ResponseDuration = "x-litellm-response-duration-ms";
    public const string OverheadDuration = "x-litellm-overhead-duration-ms";
    public const string ModelGroup = "x-litellm-model-group";
    public const string ResponseCost = "x-litellm-response-cost";
    public const string AttemptedRetries = "x-litellm-attempted-retries";
}
