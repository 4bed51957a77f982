using System.Globalization;

namespace HotDash.Hosting.Configuration;

/// <summary>
/// The response cache: <c>litellm_settings.cache</c> (on/off), <c>litellm_settings.cache_params</c> (LiteLLM's keys plus
/// <c>semantic_cache_scope</c>) and the HotDash-only <c>hotdash.cache</c> (sizes, coalescing). <see cref="Off"/> when
/// <c>litellm_settings.cache</c> is not true.
/// </summary>
public sealed class CacheSettings
{
    /// <summary>LiteLLM's call type of <c>/v1/chat/completions</c>.</summary>
    public const string ChatCallType = "acompletion";

    /// <summary>LiteLLM's call type of <c>/v1/completions</c>.</summary>
    public const string TextCallType = "atext_completion";

    /// <summary>LiteLLM's call type of <c>/v1/embeddings</c>.</summary>
    public const string EmbeddingCallType = "aembedding";

    /// <summary>Default <see cref="MaxEntryBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxEntryBytes = 1L << 20;

    /// <summary>Default <see cref="MemoryBytes"/>: 256 MiB.</summary>
    public const long DefaultMemoryBytes = 256L << 20;

    private static readonly string[] AllCallTypes = [ChatCallType, TextCallType, EmbeddingCallType];

    // cache_params keys HotDash reads; host/port/password/url are read by the loader's Redis resolution.
    private static readonly HashSet<string> CacheParamKeys =
    [
        "type", "host", "port", "password", "username", "url", "redis_url", "namespace", "ttl", "default_in_memory_ttl",
        "default_in_redis_ttl", "supported_call_types", "mode", "similarity_threshold", "redis_semantic_cache_embedding_model",
        "semantic_cache_scope",
    ];

    private static readonly HashSet<string> HotDashCacheKeys =
        ["max_entry_bytes", "memory_bytes", "coalesce", "semantic_multi_turn", "gateway_memory_bytes", "gateway_seconds"];

    /// <summary>Default <see cref="GatewayMemoryBytes"/>: 64 MiB.</summary>
    public const long DefaultGatewayMemoryBytes = 64L << 20;

    /// <summary>Default <see cref="GatewayTtl"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultGatewayTtl = TimeSpan.FromSeconds(5);

    // LiteLLM call types that HotDash has no cached endpoint for: accepted (LiteLLM configs list them), not cached.
    private static readonly HashSet<string> OtherLiteLlmCallTypes =
    [
        "transcription", "atranscription", "rerank", "arerank", "responses", "aresponses", "speech", "aspeech",
        "image_generation", "aimage_generation", "moderation", "amoderation", "acompletion_with_retries", "completion_with_retries",
    ];

    private const double MaxTtlSeconds = 10 * 365 * 86_400.0; // ten years: past it a ttl is a typo (and ms stay far from overflow)

    /// <summary>Caching off: what a config without <c>litellm_settings.cache: true</c> gets.</summary>
    public static CacheSettings Off { get; } = new();

    /// <summary><c>litellm_settings.cache</c>: responses are cached.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>cache_params.type</c>: <c>local</c> (default), <c>redis</c> or <c>redis-semantic</c>.</summary>
    public CacheType Type { get; init; } = CacheType.Local;

    /// <summary>
    /// <c>cache_params.ttl</c> (seconds, &gt; 0; else <c>default_in_memory_ttl</c> for local and <c>default_in_redis_ttl</c>
    /// for Redis): how long an entry lives unless the request or key says otherwise; null: until evicted or deleted.
    /// </summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary><c>cache_params.namespace</c>: prefixes every cache key (<c>{namespace}:{sha256}</c>); null: none.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// <c>cache_params.supported_call_types</c> normalised to the call types HotDash caches (<see cref="ChatCallType"/>,
    /// <see cref="TextCallType"/>, <see cref="EmbeddingCallType"/>); default all three.
    /// </summary>
    public IReadOnlyList<string> SupportedCallTypes { get; init; } = AllCallTypes;

    /// <summary><c>cache_params.mode: default_off</c>: only requests with <c>cache: {"use-cache": true}</c> use the cache.</summary>
    public bool DefaultOff { get; init; }

    /// <summary><c>cache_params.similarity_threshold</c> (0..1): the least cosine similarity a semantic hit needs (redis-semantic).</summary>
    public double? SimilarityThreshold { get; init; }

    /// <summary><c>cache_params.redis_semantic_cache_embedding_model</c>: the <c>model_list</c> group that embeds prompts (redis-semantic).</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary><c>cache_params.semantic_cache_scope</c>: <c>global</c> (default), <c>team</c> or <c>key</c>.</summary>
    public SemanticCacheScope SemanticScope { get; init; } = SemanticCacheScope.Global;

    /// <summary><c>hotdash.cache.max_entry_bytes</c> (default 1 MiB): a bigger answer is passed on but not cached.</summary>
    public long MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    /// <summary><c>hotdash.cache.memory_bytes</c> (default 256 MiB): the local store's LRU budget per silo.</summary>
    public long MemoryBytes { get; init; } = DefaultMemoryBytes;

    /// <summary><c>hotdash.cache.coalesce</c> (default true): identical requests in flight together make one upstream call.</summary>
    public bool Coalesce { get; init; } = true;

    /// <summary>
    /// <c>hotdash.cache.semantic_multi_turn</c> (default false): semantic lookups for conversations too, not only for
    /// single-turn prompts (one user message, optionally one system message).
    /// </summary>
    public bool SemanticMultiTurn { get; init; }

    /// <summary>
    /// <c>hotdash.cache.gateway_memory_bytes</c> (default 64 MiB; 0 turns it off): each gateway's own LRU of answers it
    /// recently served or stored, so a hot prompt's hit needs no cluster call.
    /// </summary>
    public long GatewayMemoryBytes { get; init; } = DefaultGatewayMemoryBytes;

    /// <summary>
    /// <c>hotdash.cache.gateway_seconds</c> (default 5): how long a gateway serves an answer from its own LRU before asking
    /// the cache grain again; the bound on how late a <c>/cache/delete</c> or <c>/cache/flushall</c> sent to another
    /// gateway reaches this one.
    /// </summary>
    public TimeSpan GatewayTtl { get; init; } = DefaultGatewayTtl;

    /// <summary>The cache is on and the store is Redis (exact or semantic).</summary>
    public bool UsesRedis => Enabled && Type is CacheType.Redis or CacheType.RedisSemantic;

    /// <summary>The cache is on with a semantic index.</summary>
    public bool Semantic => Enabled && Type == CacheType.RedisSemantic;

    /// <summary>Whether requests of LiteLLM call type <paramref name="callType"/> (<c>acompletion</c>, ...) are cached.</summary>
    public bool Supports(string callType)
    {
        if (!Enabled)
        {
            return false;
        }
        foreach (var t in SupportedCallTypes)
        {
            if (t == callType)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads the cache settings. <paramref name="litellm"/> is <c>litellm_settings</c>, <paramref name="hotdashCache"/>
    /// <c>hotdash.cache</c>; <paramref name="infrastructure"/> tells whether Redis is configured.
    /// </summary>
    internal static CacheSettings Read(
        ConfigReader? litellm, ConfigReader? hotdashCache, IReadOnlyList<ModelDeployment> models, InfrastructureSettings infrastructure, List<string> warnings)
    {
        // hotdash.cache is checked even with caching off, so a typo is found before someone turns the cache on.
        hotdashCache?.WarnUnknown(HotDashCacheKeys);
        var maxEntry = hotdashCache?.Long("max_entry_bytes", 1024, 64L << 20) ?? DefaultMaxEntryBytes;
        var memory = hotdashCache?.Long("memory_bytes", 1L << 20, 1L << 40) ?? DefaultMemoryBytes;
        if (maxEntry > memory)
        {
            throw new ConfigException("hotdash.cache.max_entry_bytes", $"must not exceed hotdash.cache.memory_bytes ({memory}), not {maxEntry}", hotdashCache!.Map.LineOf("max_entry_bytes"));
        }
        var coalesce = hotdashCache?.Bool("coalesce") ?? true;
        var gatewayBytes = hotdashCache?.Long("gateway_memory_bytes", 0, 1L << 40) ?? DefaultGatewayMemoryBytes;
        var gatewaySeconds = hotdashCache?.Long("gateway_seconds", 0, 3600) is { } gs ? TimeSpan.FromSeconds(gs) : DefaultGatewayTtl;
        var multiTurn = hotdashCache?.Bool("semantic_multi_turn") ?? false;

        var p = litellm?.Section("cache_params");
        if (litellm?.Bool("cache") != true)
        {
            return Off;
        }
        p?.WarnUnknown(CacheParamKeys, "is not used by HotDash; ignored");

        var typeName = p?.String("type") ?? "local";
        var type = typeName switch
        {
            "local" => CacheType.Local,
            "redis" => CacheType.Redis,
            "redis-semantic" => CacheType.RedisSemantic,
            _ => throw new ConfigException(
                "litellm_settings.cache_params.type",
                $"\"{typeName}\" is not supported; HotDash supports local (silo memory, the default), redis and redis-semantic",
                p!.Map.LineOf("type")),
        };
        if (type != CacheType.Local && infrastructure.RedisConnectionString is null)
        {
            throw new ConfigException(
                "litellm_settings.cache_params.type",
                $"{typeName} needs a Redis server: set cache_params host and port (or url), REDIS_URL, REDIS_HOST or router_settings.redis_host",
                p!.Map.LineOf("type"));
        }

        var ttl = Seconds(p, "ttl") ?? Seconds(p, type == CacheType.Local ? "default_in_memory_ttl" : "default_in_redis_ttl");
        var ns = p?.String("namespace");

        var modeName = p?.String("mode") ?? "default_on";
        if (modeName is not ("default_on" or "default_off"))
        {
            throw new ConfigException("litellm_settings.cache_params.mode", $"must be default_on or default_off, not \"{modeName}\"", p!.Map.LineOf("mode"));
        }

        var threshold = p?.Double("similarity_threshold", 0, 1);
        var embeddingModel = p?.String("redis_semantic_cache_embedding_model");
        if (type == CacheType.RedisSemantic)
        {
            if (threshold is null)
            {
                throw new ConfigException("litellm_settings.cache_params.similarity_threshold", "is required for type redis-semantic (a number from 0 to 1, e.g. 0.8)", p!.Map.Line);
            }
            if (string.IsNullOrEmpty(embeddingModel))
            {
                throw new ConfigException("litellm_settings.cache_params.redis_semantic_cache_embedding_model", "is required for type redis-semantic: name a model_list embedding group", p!.Map.Line);
            }
            CheckEmbeddingGroup(embeddingModel, models, p!.Map.LineOf("redis_semantic_cache_embedding_model"));
        }

        var scopeName = p?.String("semantic_cache_scope") ?? "global";
        var scope = scopeName switch
        {
            "global" => SemanticCacheScope.Global,
            "team" => SemanticCacheScope.Team,
            "key" => SemanticCacheScope.Key,
            _ => throw new ConfigException("litellm_settings.cache_params.semantic_cache_scope", $"must be key, team or global, not \"{scopeName}\"", p!.Map.LineOf("semantic_cache_scope")),
        };

        return new CacheSettings
        {
            Enabled = true,
            Type = type,
            Ttl = ttl,
            Namespace = string.IsNullOrEmpty(ns) ? null : ns,
            SupportedCallTypes = p is not null && p.Has("supported_call_types") ? CallTypes(p, warnings) : AllCallTypes,
            DefaultOff = modeName == "default_off",
            SimilarityThreshold = threshold,
            EmbeddingModel = string.IsNullOrEmpty(embeddingModel) ? null : embeddingModel,
            SemanticScope = scope,
            MaxEntryBytes = maxEntry,
            MemoryBytes = memory,
            Coalesce = coalesce,
            SemanticMultiTurn = multiTurn,
            GatewayMemoryBytes = gatewayBytes,
            GatewayTtl = gatewaySeconds,
        };
    }

    private static TimeSpan? Seconds(ConfigReader? p, string key)
    {
        var seconds = p?.Double(key, double.MinValue, MaxTtlSeconds);
        if (seconds is null)
        {
            return null;
        }
        if (seconds <= 0)
        {
            throw new ConfigException($"litellm_settings.cache_params.{key}", $"must be a number of seconds above 0, not {seconds.Value.ToString(CultureInfo.InvariantCulture)}", p!.Map.LineOf(key));
        }
        return TimeSpan.FromSeconds(seconds.Value);
    }

    private static void CheckEmbeddingGroup(string group, IReadOnlyList<ModelDeployment> models, int? line)
    {
        var found = false;
        var embedding = false;
        foreach (var m in models)
        {
            if (m.ModelName == group)
            {
                found = true;
                embedding |= m.Mode is null or "embedding";
            }
        }
        if (!found)
        {
            var groups = string.Join(", ", models.Select(m => m.ModelName).Distinct(StringComparer.Ordinal));
            throw new ConfigException("litellm_settings.cache_params.redis_semantic_cache_embedding_model", $"\"{group}\" is not a model_list group (model_name); the groups are: {groups}", line);
        }
        if (!embedding)
        {
            throw new ConfigException("litellm_settings.cache_params.redis_semantic_cache_embedding_model", $"\"{group}\" is not an embedding model group (its model_info.mode is not embedding)", line);
        }
    }

    private static string[] CallTypes(ConfigReader p, List<string> warnings)
    {
        var written = p.StringList("supported_call_types");
        var result = new List<string>(3);
        for (var i = 0; i < written.Count; i++)
        {
            var normalised = written[i] switch
            {
                "completion" or "acompletion" => ChatCallType,
                "text_completion" or "atext_completion" => TextCallType,
                "embedding" or "aembedding" => EmbeddingCallType,
                _ => null,
            };
            if (normalised is null)
            {
                if (!OtherLiteLlmCallTypes.Contains(written[i]))
                {
                    warnings.Add($"litellm_settings.cache_params.supported_call_types[{i}]: \"{written[i]}\" is not a call type HotDash knows; ignored");
                }
            }
            else if (!result.Contains(normalised))
            {
                result.Add(normalised);
            }
        }
        return [.. result];
    }
}
