using HotDash.Hosting.Configuration;

namespace HotDash.Hosting.Tests;

public sealed class CacheSettingsTests
{
    private const string EmbeddingModels = """
        model_list:
          - model_name: gpt-4o
            litellm_params: { model: openai/gpt-4o, api_key: sk-x }
            model_info: { mode: chat }
          - model_name: embedder
            litellm_params: { model: openai/text-embedding-3-small, api_key: sk-x }
            model_info: { mode: embedding }

        """;

    private static HotDashConfig Load(string yaml, IDictionary<string, string>? env = null) =>
        HotDashConfigLoader.FromYaml(yaml, null, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    private static ConfigException Fails(string yaml, IDictionary<string, string>? env = null) =>
        Assert.Throws<ConfigException>(() => Load(yaml, env));

    [Fact]
    public void Load_NoCacheSetting_IsOff()
    {
        var cache = Load("").Cache;

        Assert.Same(CacheSettings.Off, cache);
        Assert.False(cache.Enabled);
        Assert.False(cache.Supports(CacheSettings.ChatCallType));
    }

    [Fact]
    public void Load_CacheFalseWithParams_IsOff()
    {
        var config = Load("litellm_settings:\n  cache: false\n  cache_params: { type: s3 }");

        Assert.False(config.Cache.Enabled);
    }

    [Fact]
    public void Load_CacheTrueAlone_IsLocalWithDefaults()
    {
        var config = Load("litellm_settings:\n  cache: true");
        var cache = config.Cache;

        Assert.True(cache.Enabled);
        Assert.Equal(CacheType.Local, cache.Type);
        Assert.Null(cache.Ttl);
        Assert.Null(cache.Namespace);
        Assert.Equal(["acompletion", "atext_completion", "aembedding"], cache.SupportedCallTypes);
        Assert.False(cache.DefaultOff);
        Assert.Equal(SemanticCacheScope.Global, cache.SemanticScope);
        Assert.Equal(1L << 20, cache.MaxEntryBytes);
        Assert.Equal(256L << 20, cache.MemoryBytes);
        Assert.True(cache.Coalesce);
        Assert.False(cache.SemanticMultiTurn);
        Assert.False(cache.UsesRedis);
        Assert.True(cache.Supports("aembedding"));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_EveryKey_IsRead()
    {
        var config = Load(EmbeddingModels + """
            litellm_settings:
              cache: true
              cache_params:
                type: redis-semantic
                host: 127.0.0.1
                port: 6380
                ttl: 600
                namespace: prod
                supported_call_types: [acompletion, completion, embedding, transcription]
                mode: default_off
                similarity_threshold: 0.85
                redis_semantic_cache_embedding_model: embedder
                semantic_cache_scope: team
            hotdash:
              cache:
                max_entry_bytes: 65536
                memory_bytes: 67108864
                coalesce: false
                semantic_multi_turn: true
                gateway_memory_bytes: 1048576
                gateway_seconds: 2
            """);
        var cache = config.Cache;

        Assert.Equal(CacheType.RedisSemantic, cache.Type);
        Assert.Equal(TimeSpan.FromSeconds(600), cache.Ttl);
        Assert.Equal("prod", cache.Namespace);
        Assert.Equal(["acompletion", "aembedding"], cache.SupportedCallTypes);
        Assert.False(cache.Supports("atext_completion"));
        Assert.True(cache.DefaultOff);
        Assert.Equal(0.85, cache.SimilarityThreshold);
        Assert.Equal("embedder", cache.EmbeddingModel);
        Assert.Equal(SemanticCacheScope.Team, cache.SemanticScope);
        Assert.Equal(65536, cache.MaxEntryBytes);
        Assert.Equal(64L << 20, cache.MemoryBytes);
        Assert.False(cache.Coalesce);
        Assert.True(cache.SemanticMultiTurn);
        Assert.Equal(1L << 20, cache.GatewayMemoryBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), cache.GatewayTtl);
        Assert.True(cache.Semantic);
        Assert.True(cache.UsesRedis);
        Assert.Equal("127.0.0.1:6380,abortConnect=false", config.Infrastructure.RedisConnectionString);
        Assert.Equal("litellm_settings.cache_params", config.Infrastructure.RedisSource);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_SeedFixture_IsRedisWithTtl()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "litellm.config.yaml");
        var env = new Dictionary<string, string> { ["REDIS_HOST"] = "redis.internal", ["REDIS_PASSWORD"] = "s3cret", ["LITELLM_MASTER_KEY"] = "sk-master" };
        var config = HotDashConfigLoader.FromYaml(File.ReadAllText(path), path, name => env.GetValueOrDefault(name));

        Assert.True(config.Cache.Enabled);
        Assert.Equal(CacheType.Redis, config.Cache.Type);
        Assert.Equal(TimeSpan.FromMinutes(10), config.Cache.Ttl);
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("disk")]
    [InlineData("qdrant-semantic")]
    [InlineData("redis-cluster")]
    public void Load_UnsupportedType_NamesTheFieldAndWhatIsSupported(string type)
    {
        var e = Fails($"litellm_settings:\n  cache: true\n  cache_params:\n    type: {type}");

        Assert.Equal("litellm_settings.cache_params.type", e.KeyPath);
        Assert.Contains(type, e.Problem, StringComparison.Ordinal);
        Assert.Contains("local", e.Problem, StringComparison.Ordinal);
        Assert.Contains("redis-semantic", e.Problem, StringComparison.Ordinal);
        Assert.Contains("line 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RedisTypeWithoutRedis_Fails()
    {
        var e = Fails("litellm_settings:\n  cache: true\n  cache_params: { type: redis }");

        Assert.Equal("litellm_settings.cache_params.type", e.KeyPath);
        Assert.Contains("Redis", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RedisTypeWithRedisUrlFromEnvironment_UsesIt()
    {
        var config = Load("litellm_settings:\n  cache: true\n  cache_params: { type: redis }", new Dictionary<string, string> { ["REDIS_URL"] = "redis://127.0.0.1:6379" });

        Assert.True(config.Cache.UsesRedis);
        Assert.Equal("REDIS_URL", config.Infrastructure.RedisSource);
    }

    [Fact]
    public void Load_RedisSemanticUrl_ResolvesRedis()
    {
        var config = Load(EmbeddingModels + """
            litellm_settings:
              cache: true
              cache_params: { type: redis-semantic, url: "redis://127.0.0.1:6390", similarity_threshold: 0.9, redis_semantic_cache_embedding_model: embedder }
            """);

        Assert.Equal("litellm_settings.cache_params.url", config.Infrastructure.RedisSource);
        Assert.Equal(SemanticCacheScope.Global, config.Cache.SemanticScope);
    }

    [Theory]
    [InlineData("similarity_threshold: 0.9", "litellm_settings.cache_params.redis_semantic_cache_embedding_model")]
    [InlineData("redis_semantic_cache_embedding_model: embedder", "litellm_settings.cache_params.similarity_threshold")]
    public void Load_RedisSemanticWithoutARequiredKey_NamesIt(string only, string missing)
    {
        var e = Fails(EmbeddingModels + $"litellm_settings:\n  cache: true\n  cache_params: {{ type: redis-semantic, host: h, {only} }}");

        Assert.Equal(missing, e.KeyPath);
        Assert.Contains("required", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmbeddingModelNotInModelList_FailsListingTheGroups()
    {
        var e = Fails(EmbeddingModels + "litellm_settings:\n  cache: true\n  cache_params: { type: redis-semantic, host: h, similarity_threshold: 0.9, redis_semantic_cache_embedding_model: ada }");

        Assert.Equal("litellm_settings.cache_params.redis_semantic_cache_embedding_model", e.KeyPath);
        Assert.Contains("embedder", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmbeddingModelIsAChatGroup_Fails()
    {
        var e = Fails(EmbeddingModels + "litellm_settings:\n  cache: true\n  cache_params: { type: redis-semantic, host: h, similarity_threshold: 0.9, redis_semantic_cache_embedding_model: gpt-4o }");

        Assert.Contains("not an embedding", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("similarity_threshold: 1.5", "litellm_settings.cache_params.similarity_threshold")]
    [InlineData("similarity_threshold: high", "litellm_settings.cache_params.similarity_threshold")]
    [InlineData("ttl: 0", "litellm_settings.cache_params.ttl")]
    [InlineData("ttl: -5", "litellm_settings.cache_params.ttl")]
    [InlineData("ttl: soon", "litellm_settings.cache_params.ttl")]
    [InlineData("mode: sometimes", "litellm_settings.cache_params.mode")]
    [InlineData("semantic_cache_scope: user", "litellm_settings.cache_params.semantic_cache_scope")]
    [InlineData("namespace: [a, b]", "litellm_settings.cache_params.namespace")]
    [InlineData("supported_call_types: { a: 1 }", "litellm_settings.cache_params.supported_call_types")]
    public void Load_WrongCacheParam_NamesTheKey(string entry, string keyPath)
    {
        var e = Fails($"litellm_settings:\n  cache: true\n  cache_params:\n    {entry}");

        Assert.Equal(keyPath, e.KeyPath);
    }

    [Theory]
    [InlineData("max_entry_bytes: big", "hotdash.cache.max_entry_bytes")]
    [InlineData("max_entry_bytes: 10", "hotdash.cache.max_entry_bytes")]
    [InlineData("memory_bytes: -1", "hotdash.cache.memory_bytes")]
    [InlineData("coalesce: maybe", "hotdash.cache.coalesce")]
    [InlineData("semantic_multi_turn: 3", "hotdash.cache.semantic_multi_turn")]
    public void Load_WrongHotDashCacheKey_NamesTheKey(string entry, string keyPath)
    {
        var e = Fails($"litellm_settings:\n  cache: true\nhotdash:\n  cache:\n    {entry}");

        Assert.Equal(keyPath, e.KeyPath);
    }

    [Fact]
    public void Load_MaxEntryAboveMemory_Fails()
    {
        var e = Fails("hotdash:\n  cache: { max_entry_bytes: 33554432, memory_bytes: 16777216 }");

        Assert.Equal("hotdash.cache.max_entry_bytes", e.KeyPath);
    }

    [Fact]
    public void Load_CacheNotABool_NamesTheKey()
    {
        var e = Fails("litellm_settings:\n  cache: definitely");

        Assert.Equal("litellm_settings.cache", e.KeyPath);
    }

    [Fact]
    public void Load_UnknownNames_AreWarnings()
    {
        var config = Load("""
            litellm_settings:
              cache: true
              cache_params:
                supported_call_types: [acompletion, teleport, arerank]
                flux: 1
            hotdash:
              cache:
                turbo: true
            """);

        Assert.Equal(["acompletion"], config.Cache.SupportedCallTypes);
        Assert.Contains(config.Warnings, w => w.Contains("supported_call_types[1]", StringComparison.Ordinal) && w.Contains("teleport", StringComparison.Ordinal));
        Assert.DoesNotContain(config.Warnings, w => w.Contains("arerank", StringComparison.Ordinal));
        Assert.Contains("litellm_settings.cache_params.flux is not used by HotDash; ignored", config.Warnings);
        Assert.Contains("hotdash.cache.turbo is not a setting HotDash knows; ignored", config.Warnings);
        Assert.DoesNotContain(config.Warnings, w => w.StartsWith("hotdash.cache ", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmptySupportedCallTypes_CachesNothing()
    {
        var cache = Load("litellm_settings:\n  cache: true\n  cache_params: { supported_call_types: [] }").Cache;

        Assert.Empty(cache.SupportedCallTypes);
        Assert.False(cache.Supports("acompletion"));
    }

    [Fact]
    public void Load_DefaultTtlOfTheStore_IsTheFallback()
    {
        var local = Load("litellm_settings:\n  cache: true\n  cache_params: { default_in_memory_ttl: 30, default_in_redis_ttl: 90 }").Cache;
        var withTtl = Load("litellm_settings:\n  cache: true\n  cache_params: { ttl: 5, default_in_memory_ttl: 30 }").Cache;

        Assert.Equal(TimeSpan.FromSeconds(30), local.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(5), withTtl.Ttl);
    }

    [Fact]
    public void Load_OsEnvironReferences_AreResolved()
    {
        var cache = Load("litellm_settings:\n  cache: true\n  cache_params: { namespace: os.environ/CACHE_NS, ttl: os.environ/CACHE_TTL }",
            new Dictionary<string, string> { ["CACHE_NS"] = "staging", ["CACHE_TTL"] = "120" }).Cache;

        Assert.Equal("staging", cache.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(120), cache.Ttl);
    }
}
