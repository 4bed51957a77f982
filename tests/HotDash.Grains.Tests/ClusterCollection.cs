namespace HotDash.Grains.Tests;

/// <summary>The grain tests share one silo (and its fake clock), so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
