namespace HotDash.Grains.Tests.Caching;

/// <summary>The cache grain tests share two silos and their fake clock, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CachingClusterCollection : ICollectionFixture<CachingClusterFixture>
{
    public const string Name = "caching";
}
