namespace HotDash.Grains.Tests.Projects;

/// <summary>
/// The embedded registry's state as it was before projects (ids 0 to 5 of <c>RegistryState</c>), to prove that a
/// snapshot stored by that version still reads.
/// </summary>
[GenerateSerializer, Alias("hotdash.tests.ProjectsLegacyRegistryState")]
public sealed class ProjectsLegacyRegistryState
{
    [Id(0)] public Dictionary<string, TeamDefinition> Teams { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, UserDefinition> Users { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, KeyDefinition> Keys { get; set; } = new(StringComparer.Ordinal);

    [Id(3)] public List<HotDash.Grains.Registry.RegistryMembership> Memberships { get; set; } = [];

    [Id(4)] public List<SpendRow> SpendLog { get; set; } = [];

    [Id(5)] public List<string> SeenRequestIds { get; set; } = [];
}
