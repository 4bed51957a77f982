namespace HotDash.Grains;

/// <summary>What a follower gets from one <see cref="ICacheGrain.Follow"/> call.</summary>
/// <param name="State">Pending, completed or failed.</param>
/// <param name="Chunks">The stream chunk payloads from the asked index on (empty when none came or the leader does not stream).</param>
/// <param name="NextChunk">The index to ask from next time.</param>
/// <param name="Streaming">The leader's call is streamed (chunks come as they arrive); false: only the completed body will come.</param>
/// <param name="Entry">The whole answer once <see cref="CacheFollowState.Completed"/>.</param>
[GenerateSerializer, Immutable, Alias("hotdash.CacheFollowResult")]
public sealed record CacheFollowResult(
    [property: Id(0)] CacheFollowState State,
    [property: Id(1)] ImmutableArray<byte[]> Chunks,
    [property: Id(2)] int NextChunk,
    [property: Id(3)] bool Streaming,
    [property: Id(4)] CacheEntry? Entry = null);
