using HotDash.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace HotDash.Api.Tests.Quotas;

public sealed class CallerAuthenticationTests
{
    private const string Master = "sk-test-master-key";

    private static MasterKeyAuth Auth(string? masterKey) =>
        new(HotDashConfigLoader.FromYaml(masterKey is null ? "" : $"general_settings:\n  master_key: {masterKey}\n", null, _ => null));

    private static HttpRequest Request(string? bearer)
    {
        var context = new DefaultHttpContext();
        if (bearer is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + bearer;
        }
        return context.Request;
    }

    [Fact]
    public void Authenticate_MasterKey_IsMasterWithoutAHash()
    {
        var caller = Auth(Master).Authenticate(Request(Master));

        Assert.Equal(CallerKind.Master, caller.Kind);
        Assert.Equal("", caller.KeyHash);
    }

    [Fact]
    public void Authenticate_OtherKey_IsAVirtualKeyNamedByItsSha256()
    {
        var caller = Auth(Master).Authenticate(Request("sk-some-virtual-key"));

        Assert.Equal(CallerKind.VirtualKey, caller.Kind);
        Assert.Equal(TestRegistry.Hash("sk-some-virtual-key"), caller.KeyHash);
        Assert.False(caller.OpenGateway);
    }

    [Fact]
    public void Authenticate_NoKeyWithAMasterKeyConfigured_IsMissing()
    {
        Assert.Equal(CallerKind.Missing, Auth(Master).Authenticate(Request(null)).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-virtual-key")]
    public void Authenticate_OpenGatewayWithoutAnSkKey_IsOpen(string? key)
    {
        Assert.Equal(CallerKind.Open, Auth(null).Authenticate(Request(key)).Kind);
    }

    [Fact]
    public void Authenticate_OpenGatewayWithAnSkKey_IsAVirtualKeyOfAnOpenGateway()
    {
        var caller = Auth(null).Authenticate(Request("sk-maybe-virtual"));

        Assert.Equal(CallerKind.VirtualKey, caller.Kind);
        Assert.True(caller.OpenGateway);
    }

    [Theory]
    [InlineData("not-a-virtual-key-at-all")]
    [InlineData("Sk-uppercase-prefix")]
    [InlineData("abc")]
    public void Authenticate_NonSkKeyWithAMasterKeyConfigured_IsRefusedWithLiteLlmsMessageWithoutTheWholeKey(string key)
    {
        var caller = Auth(Master).Authenticate(Request(key));

        Assert.Equal(CallerKind.Missing, caller.Kind);
        Assert.Equal("", caller.KeyHash);
        Assert.NotNull(caller.Rejection);
        Assert.Contains("LiteLLM Virtual Key expected", caller.Rejection);
        Assert.Contains("expected to start with 'sk-'", caller.Rejection);
        Assert.DoesNotContain(key, caller.Rejection);
        Assert.False(Auth(Master).IsAuthorized(Request(key)));
    }

    [Fact]
    public void Authenticate_NonSkKey_ShowsOnlyItsFirstFewCharacters()
    {
        var caller = Auth(Master).Authenticate(Request("abcdefghijklmnopqrstuvwxyz"));

        Assert.Contains("Received=abcd****...,", caller.Rejection);
    }

    [Fact]
    public void Authenticate_MasterKeyNotStartingWithSk_IsStillMaster()
    {
        Assert.Equal(CallerKind.Master, Auth("plain-master-key").Authenticate(Request("plain-master-key")).Kind);
    }

    [Fact]
    public void Authenticate_NoKeyWithAMasterKeyConfigured_HasNoRejectionMessage()
    {
        Assert.Null(Auth(Master).Authenticate(Request(null)).Rejection);
    }
}
