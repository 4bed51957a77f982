using System.Collections.Immutable;
using HotDash.Api.Gateway;
using HotDash.Grains;
using HotDash.Hosting.Configuration;

namespace HotDash.Api.Management;

/// <summary>
/// LiteLLM's cache routes: <c>GET /cache/ping</c>, <c>POST /cache/delete {"keys": [...]}</c> (the
/// <c>x-litellm-cache-key</c> values) and <c>POST /cache/flushall</c>, with LiteLLM's answers
/// (<c>{"status": "healthy", "cache_type": ...}</c>, <c>{"status": "success"}</c>). Mapped by
/// <c>MapManagementEndpoints</c> with its handler wrapper, so they take the master key. With caching off they answer
/// 503 "Cache not initialized", as LiteLLM does.
/// </summary>
internal static class CacheEndpoints
{
    /// <summary>The most keys one <c>/cache/delete</c> takes.</summary>
    public const int MaxDeleteKeys = 10_000;

    /// <param name="app">The gateway's routes.</param>
    /// <param name="handle">The management API's wrapper: master-key check, cluster errors, OpenAI-shaped refusals.</param>
    public static void Map(IEndpointRouteBuilder app, Func<Func<ManagementCall, Task<ManagementReply>>, RequestDelegate> handle)
    {
        var config = app.ServiceProvider.GetRequiredService<HotDashConfig>();
        var cluster = app.ServiceProvider.GetRequiredService<IClusterClient>();
        var settings = config.Cache;
        var memory = app.ServiceProvider.GetRequiredService<HotDash.Api.Caching.GatewayCacheMemory>();
        ICacheAdminGrain Admin() => cluster.GetGrain<ICacheAdminGrain>(0);

        app.MapGet("/cache/ping", handle(async _ =>
        {
            if (NotInitialized(settings) is { } off)
            {
                return off;
            }
            var ping = await Admin().Ping();
            if (!ping.Healthy)
            {
                return ManagementReply.Error(new ManagementError(503, $"Service Unhealthy ({ping.Error ?? "the cache store does not answer"}). cache_type: {TypeName(settings.Type)}", null, OpenAiError.ServiceUnavailable));
            }
            return ManagementReply.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "healthy");
                w.WriteString("cache_type", TypeName(settings.Type));
                if (ping.Type == "redis")
                {
                    w.WriteBoolean("ping_response", true);
                    w.WriteString("set_cache_response", "success");
                }
                w.WriteStartObject("litellm_cache_params");
                w.WriteString("type", TypeName(settings.Type));
                w.WriteString("namespace", settings.Namespace);
                if (settings.Ttl is { } ttl)
                {
                    w.WriteNumber("ttl", ttl.TotalSeconds);
                }
                else
                {
                    w.WriteNull("ttl");
                }
                w.WriteString("mode", settings.DefaultOff ? "default_off" : "default_on");
                w.WriteEndObject();
                if (ping.Entries is { } entries)
                {
                    w.WriteNumber("entries", entries);
                }
                if (ping.Bytes is { } bytes)
                {
                    w.WriteNumber("bytes", bytes);
                }
                w.WriteEndObject();
            });
        }));

        app.MapPost("/cache/delete", handle(async call =>
        {
            if (NotInitialized(settings) is { } off)
            {
                return off;
            }
            var (doc, error) = await call.ReadBodyAsync();
            if (error is not null)
            {
                return ManagementReply.Error(error);
            }
            using (doc)
            {
                var f = new RequestFields(doc!.RootElement);
                var keys = f.StringList("keys");
                if (f.Error is { } invalid)
                {
                    return ManagementReply.Error(invalid);
                }
                if (keys is not { IsEmpty: false } list)
                {
                    return ManagementReply.Invalid("keys", "keys is required: a list of cache keys (the x-litellm-cache-key header of a cached answer).");
                }
                if (list.Length > MaxDeleteKeys)
                {
                    return ManagementReply.Invalid("keys", $"keys takes at most {MaxDeleteKeys} cache keys per call, got {list.Length}.");
                }
                var distinct = list.Distinct(StringComparer.Ordinal).ToImmutableArray();
                await Admin().Delete(distinct);
                memory.Remove(distinct); // this gateway at once; the others within hotdash.cache.gateway_seconds
                return Success();
            }
        }));

        app.MapPost("/cache/flushall", handle(async _ =>
        {
            if (NotInitialized(settings) is { } off)
            {
                return off;
            }
            await Admin().Flush();
            memory.Clear();
            return Success();
        }));
    }

    /// <summary>LiteLLM's name of a cache type.</summary>
    public static string TypeName(CacheType type) => type switch
    {
        CacheType.Redis => "redis",
        CacheType.RedisSemantic => "redis-semantic",
        _ => "local",
    };

    private static ManagementReply? NotInitialized(CacheSettings settings) => settings.Enabled ? null
        : ManagementReply.Error(new ManagementError(503, "Cache not initialized: set litellm_settings.cache: true in the config to turn caching on.", null, OpenAiError.ServiceUnavailable));

    private static ManagementReply Success() => ManagementReply.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("status", "success");
        w.WriteEndObject();
    });
}
