using HotDash.Api.Caching;

namespace HotDash.Api.Tests.Caching;

public sealed class CacheControlParserTests
{
    private static (bool Ok, CacheControls Controls, string? Error, string? Param) Parse(string body, string? keyCache = null)
    {
        var ok = CacheControlParser.TryParse(Encoding.UTF8.GetBytes(body), keyCache, out var controls, out var error, out var param);
        return (ok, controls, error, param);
    }

    [Fact]
    public void TryParse_NoControls_IsDefault()
    {
        var result = Parse("""{"model":"m","messages":[{"role":"user","content":"cache me"}]}""");

        Assert.True(result.Ok);
        Assert.Equal(default, result.Controls);
        Assert.Null(result.Error);
    }

    [Fact]
    public void TryParse_EveryControl_IsRead()
    {
        var result = Parse("""{"model":"m","cache":{"no-cache":true,"no-store":true,"use-cache":true,"ttl":600,"s-maxage":30.5,"namespace":"ns1"}}""");

        Assert.True(result.Ok);
        Assert.Equal(new CacheControls(true, true, true, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(30.5), "ns1"), result.Controls);
    }

    [Fact]
    public void TryParse_UnknownControlsAndNulls_AreIgnored()
    {
        var result = Parse("""{"cache":{"no-cache":null,"ttl":null,"future-control":{"x":[1]},"no-store":false},"model":"m"}""");

        Assert.True(result.Ok);
        Assert.Equal(default, result.Controls);
    }

    [Fact]
    public void TryParse_CacheNull_IsNoControls()
    {
        Assert.Equal(default, Parse("""{"model":"m","cache":null}""").Controls);
    }

    [Fact]
    public void TryParse_ZeroMaxAge_IsAllowed()
    {
        var result = Parse("""{"cache":{"s-maxage":0}}""");

        Assert.True(result.Ok);
        Assert.Equal(TimeSpan.Zero, result.Controls.SMaxAge);
    }

    [Fact]
    public void TryParse_KeyMetadata_AppliesAndTheRequestWins()
    {
        var key = """{"no-store":true,"ttl":60,"namespace":"key-ns","s-maxage":10}""";

        var keyOnly = Parse("""{"model":"m"}""", key);
        var both = Parse("""{"model":"m","cache":{"ttl":5,"no-store":false}}""", key);

        Assert.Equal(new CacheControls(NoStore: true, Ttl: TimeSpan.FromSeconds(60), SMaxAge: TimeSpan.FromSeconds(10), Namespace: "key-ns"), keyOnly.Controls);
        Assert.Equal(new CacheControls(NoStore: false, Ttl: TimeSpan.FromSeconds(5), SMaxAge: TimeSpan.FromSeconds(10), Namespace: "key-ns"), both.Controls);
    }

    [Fact]
    public void TryParse_KeyMetadataThatIsNotJson_CarriesNoControls()
    {
        var result = Parse("""{"model":"m"}""", "cache: not json");

        Assert.True(result.Ok);
        Assert.Equal(default, result.Controls);
    }

    [Fact]
    public void TryParse_NegativeTtl_IsRefusedNamingTheField()
    {
        var result = Parse("""{"model":"m","cache":{"ttl":-5}}""");

        Assert.False(result.Ok);
        Assert.Equal("cache.ttl must be a positive number of seconds, got -5", result.Error);
        Assert.Equal("cache", result.Param);
    }

    [Theory]
    [InlineData("""{"cache":"no-cache"}""", "cache must be an object such as {\"no-cache\": true}, got \"no-cache\"")]
    [InlineData("""{"cache":[1]}""", "cache must be an object such as {\"no-cache\": true}, got an array")]
    [InlineData("""{"cache":{"no-cache":"yes"}}""", "cache.no-cache must be true or false, got \"yes\"")]
    [InlineData("""{"cache":{"no-store":1}}""", "cache.no-store must be true or false, got 1")]
    [InlineData("""{"cache":{"use-cache":{}}}""", "cache.use-cache must be true or false, got an object")]
    [InlineData("""{"cache":{"ttl":0}}""", "cache.ttl must be a positive number of seconds, got 0")]
    [InlineData("""{"cache":{"ttl":"60"}}""", "cache.ttl must be a positive number of seconds, got \"60\"")]
    [InlineData("""{"cache":{"s-maxage":-1}}""", "cache.s-maxage must be a number of seconds (0 or more), got -1")]
    [InlineData("""{"cache":{"namespace":5}}""", "cache.namespace must be a string, got 5")]
    [InlineData("""{"cache":{"ttl":1e12}}""", "cache.ttl must be at most 315360000 seconds (ten years), got 1e12")]
    public void TryParse_WrongControl_IsRefused(string body, string error)
    {
        var result = Parse(body);

        Assert.False(result.Ok);
        Assert.Equal(error, result.Error);
        Assert.Equal("cache", result.Param);
    }

    [Fact]
    public void TryParse_WrongControlInKeyMetadata_NamesTheKeysMetadata()
    {
        var result = Parse("""{"model":"m"}""", """{"ttl":-1}""");

        Assert.False(result.Ok);
        Assert.Equal("the key's metadata cache.ttl must be a positive number of seconds, got -1", result.Error);
        Assert.Equal("cache", result.Param);
    }

    [Fact]
    public void TryParse_NestedCacheObjects_AreNotControls()
    {
        var result = Parse("""{"model":"m","metadata":{"cache":{"ttl":-1}},"messages":[{"role":"user","content":"\"cache\""}]}""");

        Assert.True(result.Ok);
        Assert.Equal(default, result.Controls);
    }

    [Fact]
    public void TryParse_EscapedCacheName_IsStillRead()
    {
        var result = Parse("""{"model":"m","\u0063ache":{"no-cache":true}}""");

        Assert.True(result.Controls.NoCache);
    }

    [Fact]
    public void TryParse_NamespaceWithLoneSurrogate_IsRefused()
    {
        var result = Parse("""{"cache":{"namespace":"a\ud800"}}""");

        Assert.False(result.Ok);
        Assert.Equal("cache", result.Param);
        Assert.StartsWith("cache.namespace must be valid text", result.Error, StringComparison.Ordinal);
    }
}
