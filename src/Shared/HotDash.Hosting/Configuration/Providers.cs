namespace HotDash.Hosting.Configuration;

/// <summary>The provider prefixes HotDash can call, and the adapter each one uses.</summary>
public static class Providers
{
    /// <summary>The built-in deterministic mock model.</summary>
    public const string Mock = "mock";

    /// <summary>Any OpenAI-compatible HTTP API.</summary>
    public const string OpenAI = "openai";

    // LiteLLM providers that speak the OpenAI wire format; the value is the public default api_base (null: api_base required).
    private static readonly Dictionary<string, string?> OpenAICompatible = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "https://api.openai.com/v1",
        ["text-completion-openai"] = "https://api.openai.com/v1",
        ["custom_openai"] = null,
        ["openai_like"] = null,
        ["hosted_vllm"] = null,
        ["vllm"] = null,
        ["lm_studio"] = null,
        ["llamafile"] = null,
        ["groq"] = "https://api.groq.com/openai/v1",
        ["deepseek"] = "https://api.deepseek.com/v1",
        ["mistral"] = "https://api.mistral.ai/v1",
        ["together_ai"] = "https://api.together.xyz/v1",
        ["fireworks_ai"] = "https://api.fireworks.ai/inference/v1",
        ["openrouter"] = "https://openrouter.ai/api/v1",
        ["xai"] = "https://api.x.ai/v1",
        ["perplexity"] = "https://api.perplexity.ai",
        ["deepinfra"] = "https://api.deepinfra.com/v1/openai",
    };

    /// <summary>The adapter for a provider prefix: <see cref="OpenAI"/>, <see cref="Mock"/>, or null when HotDash has none yet.</summary>
    public static string? AdapterFor(string provider) =>
        provider.Equals(Mock, StringComparison.OrdinalIgnoreCase) ? Mock
        : OpenAICompatible.ContainsKey(provider) ? OpenAI
        : null;

    /// <summary>The provider's public endpoint, when it has a well-known one.</summary>
    public static string? DefaultApiBase(string provider) => OpenAICompatible.GetValueOrDefault(provider);

    /// <summary>Infers the provider of a bare model name the way LiteLLM does for the common OpenAI names.</summary>
    public static string? Infer(string model) =>
        model.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("chatgpt-", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("text-embedding-", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("o1", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("o3", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("o4", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("davinci", StringComparison.OrdinalIgnoreCase)
        || model.StartsWith("babbage", StringComparison.OrdinalIgnoreCase)
            ? OpenAI
            : null;
}
