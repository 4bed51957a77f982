namespace HotDash.Grains;

/// <summary>Where the leader's call is, as a follower sees it.</summary>
[GenerateSerializer, Alias("hotdash.CacheFollowState")]
public enum CacheFollowState
{
    /// <summary>Still in flight: more chunks (or the body) will come.</summary>
    Pending = 0,

    /// <summary>Done: <see cref="CacheFollowResult.Entry"/> is the whole answer.</summary>
    Completed = 1,

    /// <summary>The leader failed, left or went silent: errors are never shared, so the follower asks upstream itself.</summary>
    Failed = 2,
}
