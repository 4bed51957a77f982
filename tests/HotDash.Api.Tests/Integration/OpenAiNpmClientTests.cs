using Xunit.Abstractions;

namespace HotDash.Api.Tests.Integration;

/// <summary>
/// The official <c>openai</c> npm package (tests/clients/*.mjs under <c>node --test</c>) against the gateway on a
/// real port serving the built-in mock models; the .mjs defaults are the mock's, so no model settings are passed.
/// </summary>
[Collection(SecuredGatewayCollection.Name)]
public sealed class OpenAiNpmClientTests(SecuredGatewayFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task OpenAiNpmPackage_AgainstTheMockModels_PassesEveryNodeTest()
    {
        await NodeTestRunner.RunAsync(output, new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = new Uri(fixture.BaseAddress, "/v1").ToString(),
            ["OPENAI_API_KEY"] = SecuredGatewayFixture.Key,
        });
    }
}
