using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>An internal user's definition, cached by <c>user_id</c> (see <see cref="CachedDefinitionGrain{T}"/>).</summary>
public sealed class UserGrain(IRegistryStore store) : CachedDefinitionGrain<UserDefinition>(store), IUserGrain
{
    protected override Task<UserDefinition?> LoadAsync(string id, CancellationToken cancellationToken) => Store.GetUserAsync(id, cancellationToken);
}
