namespace HotDash.Dashboard.Tests.Infrastructure;

/// <summary>The dashboard tests share one silo, and the environment the dashboard reads, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
