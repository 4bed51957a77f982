namespace HotDash.Grains;

/// <summary>
/// One virtual key's definition, cached (key: the key's SHA-256 hash). Loaded from the registry on activation, then
/// kept in memory: a request never reads the database. The registry pushes every change (<see cref="Refresh"/>),
/// and a key that does not exist is remembered as such, so unknown keys cost no database reads either.
/// </summary>
public interface IKeyGrain : IGrainWithStringKey
{
    /// <summary>The key's definition; <see langword="null"/> when no such key exists.</summary>
    Task<KeyDefinition?> Get();

    /// <summary>Replaces the cached definition (<see langword="null"/>: the key was deleted).</summary>
    Task Refresh(KeyDefinition? definition);
}
