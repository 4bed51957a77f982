using HotDash.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace HotDash.Api.Tests.Gateway;

public sealed class MasterKeyAuthTests
{
    private const string Key = "sk-test-master-key";

    private static MasterKeyAuth Auth(string? masterKey) =>
        new(HotDashConfigLoader.FromYaml(masterKey is null ? "" : $"general_settings:\n  master_key: {masterKey}\n", null, _ => null));

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
        return context.Request;
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + Key)]
    [InlineData("Authorization", "bearer " + Key)]
    [InlineData("Authorization", "  Bearer   " + Key + "  ")]
    [InlineData("Authorization", Key)]
    [InlineData("x-litellm-api-key", Key)]
    [InlineData("x-litellm-api-key", "Bearer " + Key)]
    [InlineData("api-key", Key)]
    public void IsAuthorized_MasterKeyInAcceptedHeader_IsAllowed(string header, string value)
    {
        Assert.True(Auth(Key).IsAuthorized(Request((header, value))));
    }

    [Theory]
    [InlineData("Authorization", "Bearer sk-wrong")]
    [InlineData("Authorization", "Bearer " + Key + "x")]
    [InlineData("Authorization", "Bearer sk-test-master-ke")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("Authorization", "Basic " + Key)]
    [InlineData("x-litellm-api-key", "sk-wrong")]
    [InlineData("api-key", "sk-wrong")]
    [InlineData("x-api-key", Key)]
    public void IsAuthorized_WrongOrMisplacedKey_IsRefused(string header, string value)
    {
        Assert.False(Auth(Key).IsAuthorized(Request((header, value))));
    }

    [Fact]
    public void IsAuthorized_NoKeyAtAll_IsRefused()
    {
        Assert.False(Auth(Key).IsAuthorized(Request()));
    }

    [Fact]
    public void IsAuthorized_VeryLongKey_IsRefusedWithoutFailing()
    {
        Assert.False(Auth(Key).IsAuthorized(Request(("Authorization", "Bearer " + new string('é', 10_000)))));
    }

    [Fact]
    public void IsAuthorized_NoMasterKeyConfigured_AllowsEveryone()
    {
        var auth = Auth(null);

        Assert.True(auth.IsOpen);
        Assert.True(auth.IsAuthorized(Request()));
        Assert.True(auth.IsAuthorized(Request(("Authorization", "Bearer whatever"))));
    }

    [Fact]
    public void IsOpen_MasterKeyConfigured_IsFalse()
    {
        Assert.False(Auth(Key).IsOpen);
    }
}
