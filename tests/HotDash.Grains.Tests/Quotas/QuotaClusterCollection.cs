namespace HotDash.Grains.Tests.Quotas;

/// <summary>The quota tests share one two-silo cluster (and its fake clock), so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class QuotaClusterCollection : ICollectionFixture<QuotaClusterFixture>
{
    public const string Name = "quota-cluster";
}
