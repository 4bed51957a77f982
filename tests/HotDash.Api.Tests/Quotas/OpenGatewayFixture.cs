namespace HotDash.Api.Tests.Quotas;

/// <summary>A gateway with no master key (open to anyone), on the built-in mock models.</summary>
public sealed class OpenGatewayFixture : GatewayFixture
{
    protected override string ConfigYaml(string? apiBase) => """
        general_settings:
          max_request_size_mb: 1
        """;
}
