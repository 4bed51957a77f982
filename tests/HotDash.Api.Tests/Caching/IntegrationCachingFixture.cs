using HotDash.Api.Tests.Tracing;
using HotDash.Grains.Caching;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace HotDash.Api.Tests.Caching;

/// <summary>
/// A gateway with <c>litellm_settings.cache: true</c> on a real port, deployments on the fake upstream (which counts its
/// calls per upstream model), and a silo running the real cache grains over the real Redis of <c>HOTDASH_TEST_REDIS</c>
/// (under a key prefix of its own, so a flush here touches nothing else), or over silo memory when no Redis is set
/// outside CI. Traces land in <see cref="Sink"/>; spend rows ship every 50 ms.
/// </summary>
public class IntegrationCachingFixture : GatewayFixture
{
    public const string Key = "sk-cache-master";

    /// <summary>USD per prompt and completion token of <c>cache-chat</c>.</summary>
    public const decimal InputPrice = 0.001m, OutputPrice = 0.002m;

    /// <summary>The Redis key prefix of this fixture's cache entries.</summary>
    public string KeyPrefix { get; } = "hotdash:cache:test-" + Guid.NewGuid().ToString("n")[..12] + ":";

    /// <summary>The Redis the cache store uses, or null when it is silo memory.</summary>
    public string? Redis { get; } = RedisAddress();

    public TraceSink Sink { get; } = new();

    protected override string? MasterKey => Key;

    protected override bool RealPort => true;

    protected override bool NeedsFakeUpstream => true;

    protected override IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["HotDash:Spend:FlushInterval"] = "00:00:00.050",
    };

    /// <summary>The <c>litellm_settings</c> section.</summary>
    protected virtual string LiteLlmSettings => """
        litellm_settings:
          cache: true
          cache_params:
            type: local
            ttl: 600
        """;

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        RecordingTraceAggregatorGrain.Use(silo, Sink);
        silo.Services.AddHotDashCache(o =>
        {
            o.Kind = Redis is null ? CacheStoreKind.Local : CacheStoreKind.Redis;
            o.RedisConfiguration = Redis;
            o.KeyPrefix = KeyPrefix;
        });
        silo.Services.AddHotDashSemanticIndex();
    }

    protected override string ConfigYaml(string? apiBase) => $$"""
        general_settings:
          master_key: {{Key}}
        model_list:
          - model_name: cache-chat
            litellm_params: { model: openai/gpt-cache, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: cache-chat-id, input_cost_per_token: {{InputPrice}}, output_cost_per_token: {{OutputPrice}} }
          - model_name: cache-slow
            litellm_params: { model: openai/slow-400-cache, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: cache-slow-id }
          - model_name: cache-error
            litellm_params: { model: openai/error-400-cache, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: cache-error-id }
          - model_name: cache-flaky
            litellm_params: { model: openai/flaky-300-cache, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: cache-flaky-id }
          - model_name: cache-embedding
            litellm_params: { model: openai/text-embedding-cache, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: cache-embedding-id, mode: embedding }
          - model_name: cache-mock
            litellm_params: { model: mock/cache-mock }
            model_info: { id: cache-mock-id, mode: embedding }
        {{LiteLlmSettings}}
        """;

    private static string? RedisAddress()
    {
        var address = Environment.GetEnvironmentVariable(TestRedis.Variable);
        if (string.IsNullOrWhiteSpace(address))
        {
            // Prerequisite's rule: on CI a missing server fails the run; elsewhere the memory store stands in.
            Assert.False(Prerequisite.IsCi, $"{TestRedis.Variable} is not set: the caching integration tests need a real Redis on CI");
            return null;
        }
        return address;
    }
}

/// <summary>The same gateway with <c>cache_params.mode: default_off</c>: only <c>cache: {"use-cache": true}</c> uses the cache.</summary>
public sealed class DefaultOffCachingFixture : IntegrationCachingFixture
{
    protected override string LiteLlmSettings => """
        litellm_settings:
          cache: true
          cache_params:
            type: local
            mode: default_off
        """;
}
