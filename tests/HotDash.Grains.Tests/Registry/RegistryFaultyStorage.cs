using Orleans.Storage;

namespace HotDash.Grains.Tests.Registry;

/// <summary>
/// The real grain storage behind a switch: <see cref="FailNextWrite"/> makes the next write of a matching state fail
/// (before it reaches storage) as an unreachable Redis does; every other call goes through.
/// </summary>
public sealed class RegistryFaultyStorage(IGrainStorage inner) : IGrainStorage
{
    private Func<string, bool>? _failNext;

    /// <summary>The next write of a state whose name matches <paramref name="stateName"/> throws; later ones go through.</summary>
    public void FailNextWrite(Func<string, bool> stateName) => Volatile.Write(ref _failNext, stateName);

    /// <summary>Whether a write is still armed to fail.</summary>
    public bool Armed => Volatile.Read(ref _failNext) is not null;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Volatile.Read(ref _failNext) is { } fail && fail(stateName) && Interlocked.CompareExchange(ref _failNext, null, fail) == fail)
        {
            throw new IOException($"storage unreachable (test): writing '{stateName}' failed");
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
