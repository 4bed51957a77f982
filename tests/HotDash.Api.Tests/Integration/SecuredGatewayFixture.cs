namespace HotDash.Api.Tests.Integration;

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
