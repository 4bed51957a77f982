using HotDash.Grains;

namespace HotDash.Api.Tests.Quotas;

/// <summary>Without a master key the gateway is open, but a virtual key it knows keeps its limits.</summary>
public sealed class OpenGatewayTests(OpenGatewayFixture fixture) : IClassFixture<OpenGatewayFixture>
{
    private readonly TestRegistry registry = new(fixture);

    [Fact]
    public async Task ChatCompletions_KnownVirtualKeyOnAnOpenGateway_KeepsItsRpmLimit()
    {
        var key = await registry.CreateKeyAsync(k => k with { Limits = QuotaLimits.None with { RpmLimit = 1 } });

        using var first = await registry.ChatAsync(key, "mock-chat");
        using var second = await registry.ChatAsync(key, "mock-chat");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_UnknownSkKeyOnAnOpenGateway_IsLetThroughUnlimited()
    {
        var key = "sk-not-in-the-registry-" + Guid.NewGuid().ToString("n");

        using var response = await registry.ChatAsync(key, "mock-chat");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ChatCompletions_BlockedKeyOnAnOpenGateway_Is401()
    {
        var key = await registry.CreateKeyAsync(k => k with { Blocked = true });

        using var response = await registry.ChatAsync(key, "mock-chat");

        await OpenAiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ChatCompletions_KeyThatIsNoVirtualKeyOnAnOpenGateway_IsLetThrough()
    {
        using var response = await registry.ChatAsync("whatever-token", "mock-chat");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
