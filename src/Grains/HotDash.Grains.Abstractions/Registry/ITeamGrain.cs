namespace HotDash.Grains;

/// <summary>One team's definition, cached (key: <c>team_id</c>); loaded from the registry on activation, changes pushed by it.</summary>
public interface ITeamGrain : IGrainWithStringKey
{
    /// <summary>The team's definition; <see langword="null"/> when no such team exists.</summary>
    Task<TeamDefinition?> Get();

    /// <summary>Replaces the cached definition (<see langword="null"/>: the team was deleted).</summary>
    Task Refresh(TeamDefinition? definition);
}
