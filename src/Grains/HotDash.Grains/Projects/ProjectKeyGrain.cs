using HotDash.Grains.Registry;
using HotDash.Registry;

namespace HotDash.Grains.Projects;

/// <summary>
/// A project API key's definition, cached by its <c>pk-lf-...</c> public key (see <see cref="CachedDefinitionGrain{T}"/>):
/// loaded once on activation, "no such key" included, then refreshed by the registry grain after every change.
/// </summary>
public sealed class ProjectKeyGrain(IRegistryStore store) : CachedDefinitionGrain<ProjectKeyDefinition>(store), IProjectKeyGrain
{
    protected override Task<ProjectKeyDefinition?> LoadAsync(string id, CancellationToken cancellationToken) => Store.GetProjectKeyAsync(id, cancellationToken);

    // Admission's DefinitionCache holds virtual keys only; the public API asks this grain (or keeps its own copy).
    protected override void Publish(string id, ProjectKeyDefinition? definition)
    {
    }
}
