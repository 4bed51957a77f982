namespace HotDash.Grains;

/// <summary>
/// The semantic cache's vector index of one model group in one scope (key: <see cref="KeyOf"/>), persisted: the
/// embedding of each cached prompt with its exact cache key, searched by cosine similarity. A search never leaves its
/// grain, so a match never crosses scopes or model groups.
/// </summary>
public interface ISemanticIndexGrain : IGrainWithStringKey
{
    /// <summary>The grain key of a scope (<c>global</c>, <c>team:{id}</c> or <c>key:{hash}</c>) and a model group.</summary>
    static string KeyOf(string scope, string modelGroup) => scope + "|" + modelGroup;

    /// <summary>The most similar unexpired prompt at or above <paramref name="threshold"/>, or null.</summary>
    Task<SemanticMatch?> Search(float[] embedding, double threshold, long nowMs);

    /// <summary>Adds (or replaces) a prompt's embedding under its cache key, expiring with its entry.</summary>
    Task Add(string cacheKey, float[] embedding, long? expiresMs);

    /// <summary>Removes these cache keys; returns how many were indexed.</summary>
    Task<int> Remove(ImmutableArray<string> cacheKeys);

    /// <summary>Removes everything.</summary>
    Task Clear();

    /// <summary>Prompts indexed.</summary>
    Task<int> Count();
}
