namespace HotDash.Grains;

/// <summary>One internal user's definition, cached (key: <c>user_id</c>); loaded from the registry on activation, changes pushed by it.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The user's definition; <see langword="null"/> when no such user exists.</summary>
    Task<UserDefinition?> Get();

    /// <summary>Replaces the cached definition (<see langword="null"/>: the user was deleted).</summary>
    Task Refresh(UserDefinition? definition);
}
