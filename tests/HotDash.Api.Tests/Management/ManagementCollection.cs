namespace HotDash.Api.Tests.Management;

/// <summary>The key, team, user and spend tests share one gateway (each test makes its own objects).</summary>
[CollectionDefinition(Name)]
public sealed class ManagementCollection : ICollectionFixture<ManagementFixture>
{
    public const string Name = "management gateway";
}
