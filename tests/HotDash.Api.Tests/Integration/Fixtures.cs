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

/// <summary>
/// A two-deployment group whose preferred deployment always fails, with allowed_fails 1: the silo's
/// deployment-health grain cools it down after one failure and the gateway then skips it.
/// </summary>
public sealed class CooldownGatewayFixture : GatewayFixture
{
    protected override bool NeedsFakeUpstream => true;

    protected override string ConfigYaml(string? apiBase) =>
        "model_list:\n"
        + UpstreamGatewayFixture.Deployment("cool-group", "error-500-cool", apiBase!, "      weight: 1000000", "cool-bad")
        + UpstreamGatewayFixture.Deployment("cool-group", "echo-cool", apiBase!, "      weight: 0.0001", "cool-good")
        + """
        router_settings:
          num_retries: 1
          allowed_fails: 1
          cooldown_time: 60
        """;
}

/// <summary>A gateway on the embedded defaults: no model_list (built-in mock-chat and mock-embedding), no key, a small body limit.</summary>
public sealed class MockGatewayFixture : GatewayFixture
{
    /// <summary>general_settings.max_request_size_mb: 0.05, about 51 KiB.</summary>
    public const int MaxRequestBytes = 52_428;

    protected override string ConfigYaml(string? apiBase) => """
        general_settings:
          max_request_size_mb: 0.05
        """;
}

/// <summary>A gateway on a real port (Kestrel, 127.0.0.1) with a master key, a 1 MB body limit and the built-in mock models.</summary>
public sealed class SecuredGatewayFixture : GatewayFixture
{
    public const string Key = "sk-hotdash-test-master";

    protected override string? MasterKey => Key;

    protected override bool RealPort => true;

    protected override string ConfigYaml(string? apiBase) => $"""
        general_settings:
          master_key: {Key}
          max_request_size_mb: 1
        """;
}

[CollectionDefinition(Name)]
public sealed class SecuredGatewayCollection : ICollectionFixture<SecuredGatewayFixture>
{
    public const string Name = "secured gateway";
}
