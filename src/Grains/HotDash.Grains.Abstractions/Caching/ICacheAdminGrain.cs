namespace HotDash.Grains;

/// <summary>
/// Cache administration for the master key's <c>/cache/ping</c>, <c>/cache/delete</c> and <c>/cache/flushall</c>
/// (key 0; a stateless worker: any silo answers).
/// </summary>
public interface ICacheAdminGrain : IGrainWithIntegerKey
{
    /// <summary>Whether the cache store answers.</summary>
    Task<CachePing> Ping();

    /// <summary>
    /// Deletes the entries with these cache keys; returns how many existed. Semantic index rows that point at a deleted
    /// entry stay until a search finds them: the lookup misses and the gateway removes the row.
    /// </summary>
    Task<int> Delete(ImmutableArray<string> keys);

    /// <summary>Deletes every entry, on every silo (semantic index rows go as <see cref="Delete"/> describes).</summary>
    Task Flush();
}
