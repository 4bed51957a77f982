namespace HotDash.Api.Tests.Quotas;

/// <summary>A gateway with a master key whose silo a test stops; spend rows it cannot ship are given up on quickly at the end.</summary>
public sealed class ClusterDownFixture : GatewayFixture
{
    public const string Key = "sk-cluster-down-master";

    protected override string? MasterKey => Key;

    protected override IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["HotDash:Spend:ShutdownTimeout"] = "00:00:01",
    };

    protected override string ConfigYaml(string? apiBase) => $"""
        general_settings:
          master_key: {Key}
        """;
}
