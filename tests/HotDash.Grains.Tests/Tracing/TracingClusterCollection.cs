namespace HotDash.Grains.Tests.Tracing;

/// <summary>The tracing tests share one silo, its stores' outage switches and its fake clock, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TracingClusterCollection : ICollectionFixture<TracingClusterFixture>
{
    public const string Name = "tracing";
}
