using HotDash.Api.Caching;
using HotDash.Grains;
using HotDash.Hosting.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace HotDash.Api.Tests.Caching;

public sealed class GatewayCacheMemoryTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));

    private GatewayCacheMemory Memory(long bytes = 64L << 20, int seconds = 5) =>
        new(HotDashConfigLoader.FromYaml($$"""
            litellm_settings:
              cache: true
            hotdash:
              cache:
                gateway_memory_bytes: {{bytes}}
                gateway_seconds: {{seconds}}
            """, null, _ => null), time);

    private CacheEntry Entry(string key, int size, long? expiresInMs = null) => new()
    {
        Key = key,
        ModelGroup = "m",
        CallType = "acompletion",
        Body = new byte[size],
        CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        ExpiresMs = expiresInMs is { } e ? time.GetUtcNow().ToUnixTimeMilliseconds() + e : null,
    };

    [Fact]
    public void TryGet_AfterPut_ReturnsTheEntryUntilItsSecondsPass()
    {
        var memory = Memory(seconds: 5);
        memory.Put(Entry("k", 10));

        Assert.True(memory.TryGet("k", null, out var held));
        Assert.Equal("k", held.Key);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(memory.TryGet("k", null, out _));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void TryGet_ExpiredEntry_IsAMissAndDropped()
    {
        var memory = Memory();
        memory.Put(Entry("k", 10, expiresInMs: 1000));

        time.Advance(TimeSpan.FromMilliseconds(1000));

        Assert.False(memory.TryGet("k", null, out _));
        Assert.Equal(0, memory.Bytes);
    }

    [Fact]
    public void TryGet_OlderThanSMaxAge_IsAMissForThatRequestOnly()
    {
        var memory = Memory();
        memory.Put(Entry("k", 10));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(memory.TryGet("k", 1000, out _));
        Assert.True(memory.TryGet("k", 3000, out _));
    }

    [Fact]
    public void Put_FarMoreThanTheBudget_StaysUnderItAndKeepsTheMostRecentlyUsed()
    {
        var memory = Memory(bytes: 1L << 20);
        memory.Put(Entry("hot", 1000));
        for (var i = 0; i < 2000; i++)
        {
            memory.Put(Entry($"k{i}", 1000));
            Assert.True(memory.TryGet("hot", null, out _)); // used all along: never the least recent
        }

        Assert.True(memory.Bytes <= 1L << 20);
        Assert.True(memory.TryGet("k1999", null, out _));
        Assert.False(memory.TryGet("k0", null, out _));
    }

    [Fact]
    public void Put_EntryOverAnEighthOfTheBudget_IsNotKept()
    {
        var memory = Memory(bytes: 1L << 20);

        memory.Put(Entry("big", (1 << 20) / 8 + 1));

        Assert.False(memory.TryGet("big", null, out _));
    }

    [Fact]
    public void RemoveAndClear_ForgetEntries()
    {
        var memory = Memory();
        memory.Put(Entry("a", 10));
        memory.Put(Entry("b", 10));
        memory.Put(Entry("c", 10));

        memory.Remove(["a", "missing"]);
        Assert.False(memory.TryGet("a", null, out _));
        Assert.True(memory.TryGet("b", null, out _));
        memory.Clear();

        Assert.Equal(0, memory.Count);
        Assert.False(memory.TryGet("c", null, out _));
    }

    [Fact]
    public void ZeroBytes_TurnsItOff()
    {
        var memory = Memory(bytes: 0);

        memory.Put(Entry("k", 10));

        Assert.False(memory.TryGet("k", null, out _));
    }
}
