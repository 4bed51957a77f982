namespace HotDash.Api.Tests.Integration;

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
