namespace HotDash.Hosting.Configuration;

/// <summary>Who may be served whose semantically similar answers (<c>litellm_settings.cache_params.semantic_cache_scope</c>).</summary>
public enum SemanticCacheScope
{
    /// <summary><c>global</c> (default): one index per model group for every caller.</summary>
    Global = 0,

    /// <summary><c>team</c>: one index per team and model group (a key outside any team falls back to <see cref="Key"/>).</summary>
    Team = 1,

    /// <summary><c>key</c>: one index per virtual key and model group.</summary>
    Key = 2,
}
