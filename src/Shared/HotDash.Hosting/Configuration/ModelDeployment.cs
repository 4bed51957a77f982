namespace HotDash.Hosting.Configuration;

/// <summary>One entry of <c>model_list</c>: a public model name routed to one provider deployment.</summary>
public sealed class ModelDeployment
{
    /// <summary><c>model_name</c>: the name clients send. Several entries may share it (a model group).</summary>
    public required string ModelName { get; init; }

    /// <summary>A stable id: <c>model_info.id</c>, else a hash of the deployment's definition (as LiteLLM does).</summary>
    public required string Id { get; init; }

    /// <summary><c>litellm_params.model</c> as written, e.g. <c>openai/gpt-4o-mini</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The provider prefix of <see cref="Model"/> (<c>openai</c>, <c>mock</c>, ...).</summary>
    public required string Provider { get; init; }

    /// <summary>The upstream model name: <see cref="Model"/> without its provider prefix.</summary>
    public required string UpstreamModel { get; init; }

    /// <summary><c>litellm_params.api_base</c>, resolved.</summary>
    public string? ApiBase { get; init; }

    /// <summary><c>litellm_params.api_key</c>, resolved (never logged).</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>litellm_params.rpm</c>: the deployment's requests per minute, used by the router.</summary>
    public long? Rpm { get; init; }

    /// <summary><c>litellm_params.tpm</c>: the deployment's tokens per minute, used by the router.</summary>
    public long? Tpm { get; init; }

    /// <summary><c>litellm_params.timeout</c> in seconds: the whole call.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary><c>litellm_params.stream_timeout</c> in seconds: until the upstream starts answering a stream.</summary>
    public double? StreamTimeoutSeconds { get; init; }

    /// <summary><c>litellm_params.max_retries</c>.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Mock provider: a fixed delay before answering, in milliseconds (<c>litellm_params.mock_latency_ms</c>).</summary>
    public int MockLatencyMs { get; init; }

    /// <summary>Mock provider: a delay between streamed chunks, in milliseconds (<c>litellm_params.mock_chunk_delay_ms</c>).</summary>
    public int MockChunkDelayMs { get; init; }

    /// <summary><c>litellm_params.mock_response</c>: a fixed reply for every call to this deployment.</summary>
    public string? MockResponse { get; init; }

    /// <summary><c>model_info.mode</c>: <c>chat</c>, <c>completion</c> or <c>embedding</c> (null: not said).</summary>
    public string? Mode { get; init; }

    /// <summary><c>model_info.input_cost_per_token</c> (or the same key in <c>litellm_params</c>).</summary>
    public decimal? InputCostPerToken { get; init; }

    /// <summary><c>model_info.output_cost_per_token</c> (or the same key in <c>litellm_params</c>).</summary>
    public decimal? OutputCostPerToken { get; init; }

    /// <summary>Embedding width for the mock provider (<c>model_info.output_vector_size</c>), default 1536.</summary>
    public int EmbeddingDimensions { get; init; } = 1536;

    /// <summary>Every <c>litellm_params</c> key as written (resolved), for adapters and later features.</summary>
    public required IReadOnlyDictionary<string, object?> LiteLlmParams { get; init; }

    /// <summary>Every <c>model_info</c> key as written.</summary>
    public required IReadOnlyDictionary<string, object?> ModelInfo { get; init; }
}
