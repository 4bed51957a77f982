namespace HotDash.Grains.Registry;

/// <summary>The embedded registry's content, <see cref="RegistryStateGrain"/>'s state (persisted as a <see cref="RegistrySnapshot"/>).</summary>
/// <remarks>
/// Teams are kept without their members and users without their teams: both come from <see cref="Memberships"/>, the
/// one place a membership lives.
/// </remarks>
[GenerateSerializer, Alias("hotdash.RegistryState")]
public sealed class RegistryState
{
    /// <summary>Teams by <c>team_id</c>.</summary>
    [Id(0)] public Dictionary<string, TeamDefinition> Teams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Users by <c>user_id</c>.</summary>
    [Id(1)] public Dictionary<string, UserDefinition> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Keys by their hash.</summary>
    [Id(2)] public Dictionary<string, KeyDefinition> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every team membership, in the order they were made.</summary>
    [Id(3)] public List<RegistryMembership> Memberships { get; set; } = [];

    /// <summary>The most recent ledger rows, oldest first (at most <see cref="RegistryStateGrain.SpendLogCapacity"/>).</summary>
    [Id(4)] public List<SpendRow> SpendLog { get; set; } = [];

    /// <summary>Request ids already counted, oldest first (at most <see cref="RegistryStateGrain.SeenRequestCapacity"/>): a retried batch counts once.</summary>
    [Id(5)] public List<string> SeenRequestIds { get; set; } = [];

    /// <summary>Langfuse projects by id (absent from snapshots written before projects existed: empty then).</summary>
    [Id(6)] public Dictionary<string, ProjectDefinition> Projects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Project API keys by their <c>pk-lf-...</c> public key.</summary>
    [Id(7)] public Dictionary<string, ProjectKeyDefinition> ProjectKeys { get; set; } = new(StringComparer.Ordinal);
}
