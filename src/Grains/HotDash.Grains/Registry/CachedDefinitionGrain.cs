using HotDash.Registry;

namespace HotDash.Grains.Registry;

/// <summary>
/// One registry object's definition, cached in memory (the key, team and user grains): loaded from the registry store
/// when the grain activates, then answered from memory, "does not exist" included, so a request never reads the
/// store. The registry grain pushes every change (<see cref="Refresh"/>) before its write returns.
/// </summary>
/// <remarks>
/// Not reentrant: a refresh that arrives while the activation is still loading runs after the load, so the pushed
/// value wins over what the load read. An idle activation is collected; the next call loads afresh.
/// </remarks>
/// <typeparam name="T">The definition record.</typeparam>
public abstract class CachedDefinitionGrain<T>(IRegistryStore store) : Grain
    where T : class
{
    private T? _definition;

    /// <summary>The store the definition is loaded from.</summary>
    protected IRegistryStore Store => store;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        // A store failure fails the activation: the caller sees it, and the next call tries again (nothing false is cached).
        _definition = await LoadAsync(this.GetPrimaryKeyString(), cancellationToken);

    /// <summary>The definition; <see langword="null"/> when the object does not exist.</summary>
    public Task<T?> Get() => Task.FromResult(_definition);

    /// <summary>Replaces the cached definition (<see langword="null"/>: the object was deleted), here and in this silo's admission cache.</summary>
    public Task Refresh(T? definition)
    {
        _definition = definition;
        Publish(this.GetPrimaryKeyString(), definition);
        return Task.CompletedTask;
    }

    /// <summary>Reads the definition of <paramref name="id"/> from the store.</summary>
    protected abstract Task<T?> LoadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Puts a changed definition into this silo's <c>DefinitionCache</c>, so admission here sees it at once.</summary>
    protected abstract void Publish(string id, T? definition);
}
