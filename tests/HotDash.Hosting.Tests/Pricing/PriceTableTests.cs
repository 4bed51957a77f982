using HotDash.Hosting.Configuration;
using HotDash.Hosting.Pricing;

namespace HotDash.Hosting.Tests.Pricing;

public sealed class PriceTableTests
{
    private static ModelDeployment Deployment(string yaml) =>
        HotDashConfigLoader.FromYaml(yaml, null, _ => null).ModelList[0];

    [Theory]
    [InlineData("gpt-4o-mini", 0.00000015, 0.0000006)]
    [InlineData("gpt-4o", 0.0000025, 0.00001)]
    [InlineData("claude-3-5-sonnet-20241022", 0.000003, 0.000015)]
    [InlineData("gemini/gemini-2.0-flash", 0.0000001, 0.0000004)]
    [InlineData("gemini-2.0-flash", 0.0000001, 0.0000004)]
    [InlineData("mistral/mistral-large-latest", 0.000002, 0.000006)]
    public void Find_MajorModel_HasLiteLlmsPerTokenPrices(string model, double input, double output)
    {
        var price = PriceTable.Find(model);

        Assert.NotNull(price);
        Assert.Equal((decimal)input, price.InputCostPerToken);
        Assert.Equal((decimal)output, price.OutputCostPerToken);
    }

    [Fact]
    public void Cost_CachedPromptTokens_AreChargedAtTheCacheReadPrice()
    {
        var price = PriceTable.Find("gpt-4o")!;

        var cost = price.Cost(promptTokens: 1000, completionTokens: 100, cachedPromptTokens: 400);

        Assert.Equal(600 * 0.0000025m + 400 * 0.00000125m + 100 * 0.00001m, cost);
    }

    [Fact]
    public void For_ModelInfoCosts_OverrideTheTable()
    {
        var d = Deployment("model_list:\n  - model_name: a\n    litellm_params: { model: openai/gpt-4o }\n    model_info: { input_cost_per_token: 0.5 }");

        var price = PriceTable.For(d);

        Assert.Equal(0.5m, price.InputCostPerToken);
        Assert.Equal(0.00001m, price.OutputCostPerToken); // not overridden: the table's
    }

    [Fact]
    public void For_ProviderPrefixedDeployment_FindsTheBareName()
    {
        var d = Deployment("model_list:\n  - model_name: a\n    litellm_params: { model: openai/gpt-4.1-mini }");

        Assert.Equal(0.0000004m, PriceTable.For(d).InputCostPerToken);
    }

    [Fact]
    public void For_MockAndUnknownModels_AreFree()
    {
        Assert.Equal(0m, PriceTable.For(HotDashConfigLoader.BuiltInModels()[0]).Cost(100, 100));
        Assert.Equal(0m, PriceTable.For(Deployment("model_list:\n  - model_name: a\n    litellm_params: { model: hosted_vllm/llama, api_base: 'http://127.0.0.1:1/v1' }")).Cost(100, 100));
    }
}
