using Orleans.Hosting;

namespace HotDash.Api.Tests.Tracing;

/// <summary>
/// An open gateway (no master key) with tracing on, deployments on the fake upstream, and a silo whose only trace
/// aggregator is <see cref="RecordingTraceAggregatorGrain"/>: what the gateway ships lands in <see cref="Sink"/>.
/// </summary>
public class TracingGatewayFixture : GatewayFixture
{
    public const string UpstreamKey = "sk-upstream-secret-for-tracing";

    /// <summary>USD per prompt and completion token of <c>trace-chat</c>.</summary>
    public const decimal InputPrice = 0.000001m, OutputPrice = 0.000002m;

    public TraceSink Sink { get; } = new();

    protected override bool NeedsFakeUpstream => true;

    protected virtual string LiteLlmSettings => "";

    protected override void ConfigureSilo(ISiloBuilder silo) => RecordingTraceAggregatorGrain.Use(silo, Sink);

    protected override string ConfigYaml(string? apiBase) => $$"""
        model_list:
          - model_name: trace-chat
            litellm_params: { model: openai/gpt-fake-echo, api_base: "{{apiBase}}", api_key: {{UpstreamKey}} }
            model_info: { id: trace-chat-id, input_cost_per_token: {{InputPrice}}, output_cost_per_token: {{OutputPrice}} }
          - model_name: trace-400
            litellm_params: { model: openai/error-400, api_base: "{{apiBase}}", api_key: {{UpstreamKey}} }
            model_info: { id: trace-400-id }
          - model_name: trace-embedding
            litellm_params: { model: openai/text-embedding-fake, api_base: "{{apiBase}}", api_key: {{UpstreamKey}} }
            model_info: { id: trace-embedding-id }
          - model_name: trace-mock
            litellm_params: { model: mock/trace-mock }
            model_info: { id: trace-mock-id }
        {{LiteLlmSettings}}
        """;
}

/// <summary>The same gateway with <c>litellm_settings.turn_off_message_logging: true</c>.</summary>
public sealed class RedactingTracingGatewayFixture : TracingGatewayFixture
{
    protected override string LiteLlmSettings => """
        litellm_settings:
          turn_off_message_logging: true
        """;
}
