namespace HotDash.Api.Tests.Quotas;

/// <summary>A gateway with a master key whose <c>tpm_limit</c>s count completion tokens only (<c>token_rate_limit_type: output</c>).</summary>
public sealed class OutputTokenRateLimitFixture : GatewayFixture
{
    public const string Key = "sk-output-tpm-master";

    protected override string? MasterKey => Key;

    // A client that goes away must be seen as one, so the request held in flight ends with the test.
    protected override bool RealPort => true;

    protected override string ConfigYaml(string? apiBase) => $$"""
        general_settings:
          master_key: {{Key}}
          token_rate_limit_type: output
        model_list:
          - model_name: output-chat
            litellm_params: { model: mock/output-chat }
            model_info: { id: output-chat-id }
          - model_name: output-slow-chat
            litellm_params: { model: mock/output-slow-chat, mock_latency_ms: 120000 }
            model_info: { id: output-slow-chat-id }
        """;
}
