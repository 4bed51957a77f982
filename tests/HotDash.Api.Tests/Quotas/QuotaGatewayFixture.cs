namespace HotDash.Api.Tests.Quotas;

/// <summary>
/// A gateway with a master key on a real port (so a client that goes away is seen as one), mock models of every
/// kind (fast, slow, priced, in an access group, embeddings) and two deployments on the fake upstream; keys and
/// teams are made by each test in the silo's registry, so tests share the gateway but never a quota.
/// </summary>
public sealed class QuotaGatewayFixture : GatewayFixture
{
    public const string Key = "sk-quota-master";

    protected override string? MasterKey => Key;

    protected override bool RealPort => true;

    protected override bool NeedsFakeUpstream => true;

    // Ledger tests wait for rows: ship them sooner than the 1 s default.
    protected override IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["HotDash:Spend:FlushInterval"] = "00:00:00.050",
    };

    protected override string ConfigYaml(string? apiBase) => $$"""
        general_settings:
          master_key: {{Key}}
        model_list:
          - model_name: quota-chat
            litellm_params: { model: mock/quota-chat }
            model_info: { id: quota-chat-id }
          - model_name: other-chat
            litellm_params: { model: mock/other-chat }
            model_info: { id: other-chat-id }
          - model_name: slow-chat
            litellm_params: { model: mock/slow-chat, mock_latency_ms: 120000 }
            model_info: { id: slow-chat-id }
          - model_name: priced-chat
            litellm_params: { model: mock/priced-chat }
            model_info: { id: priced-chat-id, input_cost_per_token: 0.001, output_cost_per_token: 0.002 }
          - model_name: beta-chat
            litellm_params: { model: mock/beta-chat }
            model_info: { id: beta-chat-id, access_groups: [beta-models] }
          - model_name: quota-embedding
            litellm_params: { model: mock/quota-embedding }
            model_info: { id: quota-embedding-id, mode: embedding }
          - model_name: upstream-chat
            litellm_params: { model: openai/gpt-fake-echo, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: upstream-chat-id }
          - model_name: failing-chat
            litellm_params: { model: openai/error-400, api_base: "{{apiBase}}", api_key: sk-upstream }
            model_info: { id: failing-chat-id }
        """;
}
