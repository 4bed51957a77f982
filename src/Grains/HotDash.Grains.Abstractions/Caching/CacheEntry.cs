namespace HotDash.Grains;

/// <summary>
/// One cached answer exactly as the upstream gave it: a non-streamed call's JSON body, or a streamed call's chunk
/// payloads (the JSON after <c>data: </c>, in order, without <c>[DONE]</c>). Replay sends these bytes again; a request
/// of the other kind (stream for a body, body for a stream) gets them converted, never re-asked upstream.
/// </summary>
[GenerateSerializer, Immutable, Alias("hotdash.CacheEntry")]
public sealed record CacheEntry
{
    /// <summary>The cache key (<c>x-litellm-cache-key</c>): namespace-qualified SHA-256 of the canonical request.</summary>
    [Id(0)] public required string Key { get; init; }

    /// <summary>The model group the request named.</summary>
    [Id(1)] public required string ModelGroup { get; init; }

    /// <summary>LiteLLM's call type: <c>acompletion</c>, <c>atext_completion</c> or <c>aembedding</c>.</summary>
    [Id(2)] public required string CallType { get; init; }

    /// <summary>The non-streamed answer's JSON body as sent to the client; null when the answer was streamed.</summary>
    [Id(3)] public byte[]? Body { get; init; }

    /// <summary>A streamed answer's chunk payloads in order (default when not streamed).</summary>
    [Id(4)] public ImmutableArray<byte[]> Chunks { get; init; }

    /// <summary>When the answer was stored (Unix epoch ms).</summary>
    [Id(5)] public long CreatedMs { get; init; }

    /// <summary>When it expires (Unix epoch ms); null: never (until evicted or deleted).</summary>
    [Id(6)] public long? ExpiresMs { get; init; }

    /// <summary>The original call's prompt tokens.</summary>
    [Id(7)] public long PromptTokens { get; init; }

    /// <summary>The original call's completion tokens.</summary>
    [Id(8)] public long CompletionTokens { get; init; }

    /// <summary>What the original call cost (USD): what each hit saves.</summary>
    [Id(9)] public decimal Cost { get; init; }

    /// <summary>The deployment that answered the original call.</summary>
    [Id(10)] public string? DeploymentId { get; init; }

    /// <summary>The answer was streamed (<see cref="Chunks"/> holds it).</summary>
    public bool Streamed => Body is null;

    /// <summary>Bytes the answer takes (body or chunks), for size caps and the memory store's LRU budget.</summary>
    public long SizeBytes
    {
        get
        {
            if (Body is not null)
            {
                return Body.Length;
            }
            long size = 0;
            if (!Chunks.IsDefault)
            {
                foreach (var chunk in Chunks)
                {
                    size += chunk.Length;
                }
            }
            return size;
        }
    }
}
