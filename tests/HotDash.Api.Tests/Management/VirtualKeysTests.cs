using System.Security.Cryptography;
using HotDash.Api.Management;

namespace HotDash.Api.Tests.Management;

public sealed class VirtualKeysTests
{
    [Fact]
    public void Generate_Always_IsSkAnd32UrlSafeCharacters()
    {
        var key = VirtualKeys.Generate();

        Assert.StartsWith("sk-", key);
        Assert.Equal(35, key.Length);
        Assert.All(key[3..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
    }

    [Fact]
    public void Generate_TwoCalls_GiveDifferentKeys()
    {
        Assert.NotEqual(VirtualKeys.Generate(), VirtualKeys.Generate());
    }

    [Fact]
    public void Hash_Key_IsLowerCaseSha256HexOfItsUtf8()
    {
        const string key = "sk-1234";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), VirtualKeys.Hash(key));
    }

    [Fact]
    public void KeyName_Key_ShowsOnlyTheLastFour()
    {
        Assert.Equal("sk-...wxyz", VirtualKeys.KeyName("sk-abcdefghijklmnopqrstuvwxyz"));
    }

    [Fact]
    public void TryToken_SkKey_IsItsHash()
    {
        Assert.True(VirtualKeys.TryToken("sk-1234", out var token));
        Assert.Equal(VirtualKeys.Hash("sk-1234"), token);
    }

    [Fact]
    public void TryToken_Hash_IsTakenAsItIsInLowerCase()
    {
        var hash = VirtualKeys.Hash("sk-1234");

        Assert.True(VirtualKeys.TryToken(hash.ToUpperInvariant(), out var token));
        Assert.Equal(hash, token);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("sk-")]
    [InlineData("abc123")]
    public void TryToken_NeitherKeyNorHash_IsRefused(string value)
    {
        Assert.False(VirtualKeys.TryToken(value, out _));
    }

    [Theory]
    [InlineData("my-own-key")]
    [InlineData("sk-")]
    [InlineData("sk-has space")]
    public void Problem_UnusableClientKey_SaysWhy(string key)
    {
        Assert.NotNull(VirtualKeys.Problem(key));
    }

    [Fact]
    public void Problem_SkKey_IsNone()
    {
        Assert.Null(VirtualKeys.Problem("sk-my-own-key-1"));
    }
}
