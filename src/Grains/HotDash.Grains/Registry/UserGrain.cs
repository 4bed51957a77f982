using HotDash.Grains.Admission;
using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>An internal user's definition, cached by <c>user_id</c> (see <see cref="CachedDefinitionGrain{T}"/>).</summary>
public sealed class UserGrain(IRegistryStore store, DefinitionCache cache) : CachedDefinitionGrain<UserDefinition>(store), IUserGrain
{
    protected override Task<UserDefinition?> LoadAsync(string id, CancellationToken cancellationToken) => Store.GetUserAsync(id, cancellationToken);

    protected override void Publish(string id, UserDefinition? definition) => cache.Set(id, definition);
}
