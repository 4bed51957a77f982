namespace HotDash.Api.Tests.Integration;

/// <summary>Deployments on the fake upstream priced by model_info and by the bundled table.</summary>
public sealed class PricedGatewayFixture : GatewayFixture
{
    protected override bool NeedsFakeUpstream => true;

    protected override string ConfigYaml(string? apiBase) => $$"""
        model_list:
          - model_name: priced
            litellm_params: { model: openai/gpt-fake-echo, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: priced-id, input_cost_per_token: 0.001, output_cost_per_token: 0.002 }
          - model_name: listed
            litellm_params: { model: openai/gpt-fake-echo, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: listed-id, base_model: gpt-4o-mini }
          - model_name: unpriced
            litellm_params: { model: openai/gpt-fake-echo, api_base: "{{apiBase}}", api_key: sk-upstream }
        """;
}
