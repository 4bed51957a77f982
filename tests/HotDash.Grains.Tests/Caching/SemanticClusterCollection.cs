namespace HotDash.Grains.Tests.Caching;

/// <summary>The semantic index grain tests share one silo; each test uses index keys of its own.</summary>
[CollectionDefinition(Name)]
public sealed class SemanticClusterCollection : ICollectionFixture<SemanticClusterFixture>
{
    public const string Name = "semantic-cluster";
}
