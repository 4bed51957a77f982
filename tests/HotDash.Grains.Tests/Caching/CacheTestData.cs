using System.Text;

namespace HotDash.Grains.Tests.Caching;

internal static class CacheTestData
{
    /// <summary>A cache key of its own (64 hex chars, as the gateway makes them), so tests never share an entry.</summary>
    public static string NewKey() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A non-streamed chat answer.</summary>
    public static CacheEntry Body(string key, string content, long createdMs, long? expiresMs = null) => new()
    {
        Key = key,
        ModelGroup = "gpt-test",
        CallType = "acompletion",
        Body = Bytes($"{{\"choices\":[{{\"message\":{{\"content\":\"{content}\"}}}}]}}"),
        CreatedMs = createdMs,
        ExpiresMs = expiresMs,
        PromptTokens = 10,
        CompletionTokens = 5,
        Cost = 0.00042m,
        DeploymentId = "dep-1",
    };

    /// <summary>A streamed answer of <paramref name="chunks"/> chunk payloads.</summary>
    public static CacheEntry Stream(string key, IEnumerable<byte[]> chunks, long createdMs) => new()
    {
        Key = key,
        ModelGroup = "gpt-test",
        CallType = "acompletion",
        Chunks = [.. chunks],
        CreatedMs = createdMs,
    };

    public static byte[] Chunk(int i) => Bytes($"{{\"choices\":[{{\"delta\":{{\"content\":\"part {i}\"}}}}]}}");

    public static CacheLookupRequest Coalesced(string callId, long nowMs, long? maxAgeMs = null) => new(callId, Coalesce: true, maxAgeMs, nowMs);

    public static CacheLookupRequest Plain(long nowMs, long? maxAgeMs = null) => new("call-" + Guid.NewGuid().ToString("N"), Coalesce: false, maxAgeMs, nowMs);

    public static readonly CacheStorePolicy Keep = new(Store: true, TtlMs: null);

    public static CacheStorePolicy KeepFor(TimeSpan ttl) => new(Store: true, TtlMs: (long)ttl.TotalMilliseconds);
}
