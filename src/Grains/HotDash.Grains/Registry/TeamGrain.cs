using HotDash.Grains.Admission;
using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>A team's definition, cached by <c>team_id</c> (see <see cref="CachedDefinitionGrain{T}"/>).</summary>
public sealed class TeamGrain(IRegistryStore store, DefinitionCache cache) : CachedDefinitionGrain<TeamDefinition>(store), ITeamGrain
{
    protected override Task<TeamDefinition?> LoadAsync(string id, CancellationToken cancellationToken) => Store.GetTeamAsync(id, cancellationToken);

    protected override void Publish(string id, TeamDefinition? definition) => cache.Set(id, definition);
}
