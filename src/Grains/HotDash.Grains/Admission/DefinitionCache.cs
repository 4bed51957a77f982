using System.Collections.Concurrent;

namespace HotDash.Grains.Admission;

/// <summary>
/// The silo's copy of the key, team and user definitions admission reads, so a request with a virtual key costs the
/// quota grains' hops and nothing more: without it every admission would first wait on the key grain, then on the
/// team grain, one after the other.
/// </summary>
/// <remarks>
/// An entry is served for at most <see cref="Lifetime"/>, then read again from its grain, so a change made through
/// any silo holds everywhere within that time. On the silo where the change is made (and where the definition's
/// grain lives) the entry is replaced at once: the key, team and user grains and the registry grain write through
/// here. Bounded: past <see cref="MaxEntries"/> a map is emptied and refills from the grains.
/// </remarks>
public sealed class DefinitionCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>The longest an entry is served before it is read again (the cluster-wide propagation bound).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    /// <summary>Entries per map before it is emptied.</summary>
    public const int MaxEntries = 100_000;

    private readonly long _lifetimeTicks = (long)(Lifetime.TotalSeconds * time.TimestampFrequency);

    private readonly ConcurrentDictionary<string, Entry<KeyDefinition>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<TeamDefinition>> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<UserDefinition>> _users = new(StringComparer.Ordinal);

    /// <summary>The key with this hash (<see langword="null"/>: none), from the cache or its grain.</summary>
    public ValueTask<KeyDefinition?> Key(string token) =>
        TryGet(_keys, token, out var hit) ? new(hit) : Load(_keys, token, grains.GetGrain<IKeyGrain>(token).Get());

    /// <summary>The team (<see langword="null"/>: none), from the cache or its grain.</summary>
    public ValueTask<TeamDefinition?> Team(string teamId) =>
        TryGet(_teams, teamId, out var hit) ? new(hit) : Load(_teams, teamId, grains.GetGrain<ITeamGrain>(teamId).Get());

    /// <summary>The user (<see langword="null"/>: none), from the cache or its grain.</summary>
    public ValueTask<UserDefinition?> User(string userId) =>
        TryGet(_users, userId, out var hit) ? new(hit) : Load(_users, userId, grains.GetGrain<IUserGrain>(userId).Get());

    /// <summary>Replaces the cached key (a change just made on this silo).</summary>
    public void Set(string token, KeyDefinition? definition) => Put(_keys, token, definition);

    /// <summary>Replaces the cached team.</summary>
    public void Set(string teamId, TeamDefinition? definition) => Put(_teams, teamId, definition);

    /// <summary>Replaces the cached user.</summary>
    public void Set(string userId, UserDefinition? definition) => Put(_users, userId, definition);

    private bool TryGet<T>(ConcurrentDictionary<string, Entry<T>> map, string id, out T? value)
        where T : class
    {
        if (map.TryGetValue(id, out var entry) && time.GetTimestamp() < entry.ExpiresAt)
        {
            value = entry.Value;
            return true;
        }
        value = null;
        return false;
    }

    private async ValueTask<T?> Load<T>(ConcurrentDictionary<string, Entry<T>> map, string id, Task<T?> read)
        where T : class
    {
        var value = await read;
        Put(map, id, value);
        return value;
    }

    private void Put<T>(ConcurrentDictionary<string, Entry<T>> map, string id, T? value)
        where T : class
    {
        if (map.Count >= MaxEntries)
        {
            map.Clear();
        }
        map[id] = new Entry<T>(value, time.GetTimestamp() + _lifetimeTicks);
    }

    private sealed record Entry<T>(T? Value, long ExpiresAt)
        where T : class;
}
