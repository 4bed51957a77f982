namespace HotDash.Grains;

/// <summary>
/// One project API key's definition, cached (key: the <c>pk-lf-...</c> public key), as <see cref="IKeyGrain"/> caches
/// virtual keys: loaded from the registry on activation, refreshed by every change, "no such key" remembered too, so
/// the public API's Basic authentication never reads the database per request.
/// </summary>
public interface IProjectKeyGrain : IGrainWithStringKey
{
    /// <summary>The key's definition; <see langword="null"/> when there is no such key.</summary>
    Task<ProjectKeyDefinition?> Get();

    /// <summary>Replaces the cached definition (<see langword="null"/>: the key was deleted).</summary>
    Task Refresh(ProjectKeyDefinition? definition);
}
