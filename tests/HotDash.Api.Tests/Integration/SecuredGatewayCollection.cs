namespace HotDash.Api.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class SecuredGatewayCollection : ICollectionFixture<SecuredGatewayFixture>
{
    public const string Name = "secured gateway";
}
