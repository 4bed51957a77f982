namespace HotDash.Grains;

/// <summary>
/// One request's spend, as the ledger (<c>spend_logs</c>) keeps it. <see cref="RequestId"/> is the idempotency key:
/// a row written twice is counted once.
/// </summary>
/// <param name="RequestId">The request's id (LiteLLM's <c>request_id</c>, the <c>x-litellm-call-id</c>).</param>
/// <param name="KeyHash">SHA-256 of the virtual key, lower-case hex (<c>keys.token</c>); empty for the master key.</param>
/// <param name="Model">The model the deployment ran (LiteLLM's <c>model</c>).</param>
/// <param name="Spend">Cost in USD; at most 10 decimal places are kept.</param>
/// <param name="StartTime">When the request arrived; its UTC day is the day it counts for.</param>
/// <param name="EndTime">When its answer ended.</param>
[GenerateSerializer, Immutable, Alias("hotdash.SpendRow")]
public sealed record SpendRow(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string KeyHash,
    [property: Id(2)] string Model,
    [property: Id(3)] decimal Spend,
    [property: Id(4)] DateTimeOffset StartTime,
    [property: Id(5)] DateTimeOffset EndTime)
{
    /// <summary>The team the key belongs to, if any.</summary>
    [Id(6)] public string? TeamId { get; init; }

    /// <summary>The internal user the key belongs to, if any.</summary>
    [Id(7)] public string? UserId { get; init; }

    /// <summary>The client's own end user (the OpenAI <c>user</c> field; LiteLLM's <c>end_user</c>).</summary>
    [Id(8)] public string? EndUser { get; init; }

    /// <summary>The public model name the client asked for (<c>model_name</c>; LiteLLM's <c>model_group</c>); rollups and per-model budgets count by it.</summary>
    [Id(9)] public string ModelGroup { get; init; } = "";

    /// <summary>The deployment that served it (<c>model_info.id</c>; LiteLLM's <c>model_id</c>).</summary>
    [Id(10)] public string DeploymentId { get; init; } = "";

    /// <summary>LiteLLM's <c>call_type</c>: <c>acompletion</c>, <c>aembedding</c>, ...</summary>
    [Id(11)] public string CallType { get; init; } = "";

    /// <summary>Input tokens.</summary>
    [Id(12)] public long PromptTokens { get; init; }

    /// <summary>Output tokens.</summary>
    [Id(13)] public long CompletionTokens { get; init; }

    /// <summary>False for a failed request (<c>status</c> <c>failure</c>).</summary>
    [Id(14)] public bool Success { get; init; } = true;

    /// <summary>True when the answer came from the cache.</summary>
    [Id(15)] public bool CacheHit { get; init; }

    /// <summary>A JSON object of extra fields (LiteLLM's <c>metadata</c>), or null.</summary>
    [Id(16)] public string? Metadata { get; init; }
}
