namespace HotDash.Dashboard.Tests.PublicApi;

/// <summary>
/// The public API tests share one silo with the trace pipeline and one dashboard. The dashboard reads its settings from
/// the process environment, so this collection runs alone (after the parallel ones), never while another fixture sets them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublicApiCollection : ICollectionFixture<PublicApiFixture>
{
    public const string Name = "public-api";
}
