using System.Globalization;
using HotDash.Hosting.Pricing;

namespace HotDash.Api.Tests.Integration;

/// <summary><c>x-litellm-response-cost</c>: the call's usage at the deployment's price.</summary>
public sealed class ResponseCostTests(PricedGatewayFixture fixture) : IClassFixture<PricedGatewayFixture>
{
    private async Task<decimal> CostOf(string model)
    {
        using var response = await fixture.Client.PostAsync("/v1/chat/completions",
            JsonBody.Of($$"""{"model":"{{model}}","messages":[{"role":"user","content":"price me"}]}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return decimal.Parse(Assert.Single(response.Headers.GetValues("x-litellm-response-cost")), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ChatCompletions_ModelInfoCosts_AreCharged()
    {
        var cost = await CostOf("priced");

        Assert.Equal(FakeUpstream.PromptTokens * 0.001m + FakeUpstream.StreamPieces.Length * 0.002m, cost);
    }

    [Fact]
    public async Task ChatCompletions_BaseModelInTheBundledTable_IsChargedAtItsPrice()
    {
        var cost = await CostOf("listed");
        var price = PriceTable.Find("gpt-4o-mini")!;

        Assert.Equal(price.Cost(FakeUpstream.PromptTokens, FakeUpstream.StreamPieces.Length), cost);
        Assert.True(cost > 0);
    }

    [Fact]
    public async Task ChatCompletions_UnknownModelWithoutCosts_CostsZero()
    {
        Assert.Equal(0m, await CostOf("unpriced"));
    }
}
