namespace HotDash.Grains.Tests.Registry;

/// <summary>The tests that fail writes or replace the stored snapshot share one silo of their own, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryStorageCollection : ICollectionFixture<RegistryStorageFixture>
{
    public const string Name = "registry-storage";
}
