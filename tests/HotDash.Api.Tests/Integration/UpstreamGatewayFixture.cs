namespace HotDash.Api.Tests.Integration;

/// <summary>A gateway whose models are <c>openai/…</c> deployments on the fake upstream, one behaviour each.</summary>
public sealed class UpstreamGatewayFixture : GatewayFixture
{
    public const string UpstreamKey = "sk-upstream-test-key";

    protected override bool NeedsFakeUpstream => true;

    internal static string Deployment(string name, string upstreamModel, string apiBase, string extra = "", string? id = null) => $"""
          - model_name: {name}
            litellm_params:
              model: openai/{upstreamModel}
              api_base: {apiBase}
              api_key: {UpstreamKey}
        {extra}
            model_info:
              id: {id ?? name + "-id"}

        """;

    protected override string ConfigYaml(string? apiBase) =>
        "model_list:\n"
        + Deployment("fake-chat", "gpt-fake-echo", apiBase!)
        + Deployment("fake-crlf", "crlf-chat", apiBase!)
        + Deployment("fake-nodone", "nodone-chat", apiBase!)
        + Deployment("fake-embedding", "text-embedding-fake", apiBase!)
        + Deployment("fake-429", "error-429", apiBase!)
        + Deployment("fake-500", "error-500", apiBase!)
        + Deployment("fake-400", "error-400", apiBase!)
        + Deployment("fake-slow", "slow-5000", apiBase!, "      timeout: 0.5")
        + Deployment("fake-break", "break-after-2", apiBase!)
        + Deployment("fake-slow-stream", "slow-stream", apiBase!)
        + Deployment("fake-down", "gpt-unreachable", $"http://127.0.0.1:{FreePorts.Next()}/v1") // nothing listens there
        // The failing deployment is all but certain to be chosen first, so the retry is what makes the call succeed.
        + Deployment("retry-group", "error-500-retry", apiBase!, "      weight: 1000000", "retry-bad")
        + Deployment("retry-group", "echo-retry", apiBase!, "      weight: 0.0001", "retry-good")
        + """
        router_settings:
          num_retries: 1
          allowed_fails: 1000
          model_group_alias:
            fake-alias: fake-chat
        """;
}
