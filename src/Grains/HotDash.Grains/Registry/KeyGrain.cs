using HotDash.Grains.Admission;
using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>A virtual key's definition, cached by the key's SHA-256 hash (see <see cref="CachedDefinitionGrain{T}"/>).</summary>
public sealed class KeyGrain(IRegistryStore store, DefinitionCache cache) : CachedDefinitionGrain<KeyDefinition>(store), IKeyGrain
{
    protected override Task<KeyDefinition?> LoadAsync(string id, CancellationToken cancellationToken) => Store.GetKeyAsync(id, cancellationToken);

    protected override void Publish(string id, KeyDefinition? definition) => cache.Set(id, definition);
}
