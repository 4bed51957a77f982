namespace HotDash.Grains.Tests.Registry;

/// <summary>The registry tests share one two-silo cluster (one embedded registry, one fake clock), so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryClusterCollection : ICollectionFixture<RegistryClusterFixture>
{
    public const string Name = "registry-cluster";
}
