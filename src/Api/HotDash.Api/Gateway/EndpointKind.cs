namespace HotDash.Api.Gateway;

/// <summary>The OpenAI endpoints the gateway routes.</summary>
internal enum EndpointKind
{
    ChatCompletions,
    Completions,
    Embeddings,
}
