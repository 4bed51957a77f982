using HotDash.Api.Tests.Tracing;
using HotDash.Grains.Caching;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using StackExchange.Redis;

namespace HotDash.Api.Tests.Caching;

/// <summary>
/// A gateway with <c>cache_params.type: redis-semantic</c> over the real Redis of <c>HOTDASH_TEST_REDIS</c>, scoped per
/// virtual key, embedding prompts with the built-in mock embedding model (deterministic feature hashing: texts sharing
/// most words are close). A config naming Redis makes the gateway find its silo through Redis, so the silo here is
/// clustered through Redis too, under a cluster id of its own.
/// </summary>
public sealed class IntegrationSemanticFixture : GatewayFixture
{
    public const string Key = "sk-semantic-master";

    private readonly string clusterId = "hd-sem-" + Guid.NewGuid().ToString("n")[..12];

    /// <summary>The Redis of the test run (the fixture fails without one).</summary>
    public string Redis { get; } = Environment.GetEnvironmentVariable(TestRedis.Variable) is { Length: > 0 } address
        ? address
        : throw new InvalidOperationException($"{TestRedis.Variable} is not set: the semantic cache tests need a real Redis");

    public TraceSink Sink { get; } = new();

    protected override string? MasterKey => Key;

    protected override bool RealPort => true;

    protected override bool NeedsFakeUpstream => true;

    protected override string? ClusterId => clusterId;

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        RecordingTraceAggregatorGrain.Use(silo, Sink);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(Redis));
        silo.Services.AddHotDashCache(o =>
        {
            o.Kind = CacheStoreKind.Redis;
            o.RedisConfiguration = Redis;
            o.KeyPrefix = "hotdash:cache:" + clusterId + ":";
        });
        silo.Services.AddHotDashSemanticIndex();
    }

    protected override string ConfigYaml(string? apiBase)
    {
        var (host, port) = (Redis.Split(':')[0], Redis.Split(':')[1]);
        return $$"""
            general_settings:
              master_key: {{Key}}
            model_list:
              - model_name: sem-chat
                litellm_params: { model: openai/gpt-semantic, api_base: "{{apiBase}}", api_key: sk-upstream }
                model_info: { id: sem-chat-id }
              - model_name: sem-embed
                litellm_params: { model: mock/sem-embed }
                model_info: { id: sem-embed-id, mode: embedding }
            litellm_settings:
              cache: true
              cache_params:
                type: redis-semantic
                host: {{host}}
                port: {{port}}
                similarity_threshold: 0.8
                redis_semantic_cache_embedding_model: sem-embed
                semantic_cache_scope: key
            """;
    }
}
