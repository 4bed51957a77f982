namespace HotDash.Grains.Registry;

/// <summary>The embedded registry's content, <see cref="RegistryStateGrain"/>'s state (persisted as a <see cref="RegistrySnapshot"/>).</summary>
/// <remarks>
/// <para>Teams are kept without their members and users without their teams: both come from <see cref="Memberships"/>, the
/// one place a membership lives.</para>
/// <para>The spend ledger's rows are not in it: they are stored in pages of their own (<see cref="RegistrySpendPage"/>),
/// and this records which of them are committed (<see cref="SpendPage"/>, <see cref="SpendPageFill"/>), so that a
/// spend batch stores only the pages it touched and this small snapshot. Snapshots from before the pages
/// (<see cref="SpendPageRows"/> 0) carry their rows in <see cref="SpendLog"/>; the grain moves them into pages when it
/// activates.</para>
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

    /// <summary>
    /// Snapshots from before the ledger pages only: the most recent ledger rows, oldest first. Read once to move them
    /// into pages, empty in every snapshot written since.
    /// </summary>
    [Id(4)] public List<SpendRow> SpendLog { get; set; } = [];

    /// <summary>
    /// Request ids counted whose rows are no longer kept, oldest first: before the ledger pages, every id counted (up to
    /// 20,000, more than the rows kept); since, only those of them left over from such a snapshot, until the newer rows
    /// kept bring the ids remembered up to <see cref="RegistryStateGrain.SeenRequestCapacity"/> (then this is empty and
    /// the kept rows' ids are the whole set).
    /// </summary>
    [Id(5)] public List<string> SeenRequestIds { get; set; } = [];

    /// <summary>Langfuse projects by id (absent from snapshots written before projects existed: empty then).</summary>
    [Id(6)] public Dictionary<string, ProjectDefinition> Projects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Project API keys by their <c>pk-lf-...</c> public key.</summary>
    [Id(7)] public Dictionary<string, ProjectKeyDefinition> ProjectKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rows per ledger page (<see cref="RegistryStateGrain.SpendPageRows"/> when written); 0 in snapshots from before the pages.</summary>
    [Id(8)] public int SpendPageRows { get; set; }

    /// <summary>Slots of the ledger's ring of pages (<see cref="RegistryStateGrain.SpendPageSlots"/> when written): page <c>n</c> is stored in slot <c>n % SpendPageSlots</c>.</summary>
    [Id(9)] public int SpendPageSlots { get; set; }

    /// <summary>The absolute number of the newest ledger page with committed rows (<see cref="SpendPageFirst"/> while the ledger is empty).</summary>
    [Id(10)] public long SpendPage { get; set; }

    /// <summary>How many rows of page <see cref="SpendPage"/> are committed; rows after them in the stored page were never committed and are ignored.</summary>
    [Id(11)] public int SpendPageFill { get; set; }

    /// <summary>
    /// The absolute number of this ledger's first page: lower numbers belong to the pages the rows were moved from (a
    /// build paging by other sizes) and are never read as this ledger's.
    /// </summary>
    [Id(12)] public long SpendPageFirst { get; set; }
}
