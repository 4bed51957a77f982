namespace HotDash.Api.Tests.Integration;

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
