namespace HotDash.Grains;

/// <summary>The nearest cached prompt above the threshold.</summary>
/// <param name="CacheKey">Its exact cache key: look it up in its <see cref="ICacheGrain"/>.</param>
/// <param name="Similarity">Cosine similarity in [-1, 1] (<c>x-litellm-semantic-similarity</c>).</param>
[GenerateSerializer, Immutable, Alias("hotdash.SemanticMatch")]
public sealed record SemanticMatch(
    [property: Id(0)] string CacheKey,
    [property: Id(1)] double Similarity);
