namespace HotDash.Grains;

/// <summary>One page of users, newest first, how many users match in all, and how many keys each user on the page owns.</summary>
/// <param name="Users">The page's users, with their teams.</param>
/// <param name="TotalCount">Users matching the query on all pages.</param>
[GenerateSerializer, Immutable, Alias("hotdash.UserPage")]
public sealed record UserPage(
    [property: Id(0)] ImmutableArray<UserDefinition> Users,
    [property: Id(1)] int TotalCount)
{
    /// <summary>The number of keys whose <c>user_id</c> is the user's (LiteLLM's <c>key_count</c>), for the users on the page.</summary>
    [Id(2)] public ImmutableDictionary<string, int> KeyCounts { get; init; } = ImmutableDictionary<string, int>.Empty;
}
